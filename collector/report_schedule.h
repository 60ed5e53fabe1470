#pragma once

#include <optional>
#include <string>
#include <vector>

#include "collector/report.h"
#include "collector/report_archive.h"
#include "collector/report_cron.h"
#include "collector/report_writers.h"
#include "collector/store.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// One `[[report]]` table of the collector's configuration file:
//   ministry = "MI" (or "all"), period = "daily" | "weekly" | "monthly",
//   formats = ["xlsx", "csv", "html"], directory = "/var/lib/vigie-collector/rapports" (optional),
//   cron = "0 7 * * 1" (optional).
struct ReportSchedule {
  std::string ministry;  // Empty: every ministry.
  ReportPeriod period = ReportPeriod::kMonthly;
  // When the report is produced (Europe/Paris): the latest complete period at that time. Without
  // it, as soon as the period is over (midnight).
  std::optional<CronExpression> cron;
  std::vector<ReportFormat> formats;
  std::string directory;
};

// The `[[report]]` tables of `config_path` (none when it has none); errors name file, line, key.
// A table without `directory` writes into `archive_directory`.
Result<std::vector<ReportSchedule>> LoadReportSchedules(const std::string& config_path,
                                                        const std::string& archive_directory);

// Civil date in Europe/Paris at `now`: UTC+1, UTC+2 from the last Sunday of March to the last
// Sunday of October at 01:00 UTC (the EU rule, in force since 1996).
Date ParisDate(Timestamp now);

// The last day of the latest period of `period` that is over on `today`: yesterday, last Sunday
// (weeks run Monday to Sunday), or the last day of the previous month.
Date LastCompletePeriodEnd(Date today, ReportPeriod period);

// Produces the reports of the schedules whose latest complete period (in Europe/Paris) has no
// report yet, and records each in the archive. The archive (or, for reports written before it
// existed, the file, then recorded) is the record of a run: a period is never produced twice, not
// even when its file was deleted by hand, and a collector that was down produces the missed
// period's report at start-up. Only the latest period is caught up: older ones would show the
// same state, the store keeping no past state.
class ReportScheduler {
 public:
  // `defaults` gives every report's settings but its ministry, period and last day. `store` is
  // only read: serve gives a read-only connection, so that writing a long hosts sheet never
  // holds back the agents' reports.
  ReportScheduler(Store& store, ReportArchive& archive, const JudgingRules& rules,
                  std::vector<ReportSchedule> schedules, ReportRequest defaults)
      : store_(store),
        archive_(archive),
        rules_(rules),
        schedules_(std::move(schedules)),
        defaults_(std::move(defaults)) {}

  // Refuses a schedule naming a ministry the deployment does not know.
  Status Check() const;

  // The paths written; an error for one schedule does not stop the others (the first is returned
  // after all have run).
  Result<std::vector<std::string>> RunDue(Timestamp now);

  // When to run RunDue next: the next cron firing within the hour, else in an hour.
  Timestamp NextCheck(Timestamp now) const;

 private:
  Store& store_;
  ReportArchive& archive_;
  JudgingRules rules_;
  std::vector<ReportSchedule> schedules_;
  ReportRequest defaults_;
};

}  // namespace vigie::collector
