#pragma once

#include <string>
#include <vector>

#include "collector/report.h"
#include "collector/report_writers.h"
#include "collector/store.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// One `[[report]]` table of the collector's configuration file:
//   ministry = "MI" (or "all"), period = "daily" | "weekly" | "monthly",
//   formats = ["xlsx", "csv", "html"], directory = "/var/lib/vigie/rapports".
struct ReportSchedule {
  std::string ministry;  // Empty: every ministry.
  ReportPeriod period = ReportPeriod::kMonthly;
  std::vector<ReportFormat> formats;
  std::string directory;
};

// The `[[report]]` tables of `config_path` (none when it has none); errors name file, line, key.
Result<std::vector<ReportSchedule>> LoadReportSchedules(const std::string& config_path);

// Civil date in Europe/Paris at `now`: UTC+1, UTC+2 from the last Sunday of March to the last
// Sunday of October at 01:00 UTC (the EU rule, in force since 1996).
Date ParisDate(Timestamp now);

// The last day of the latest period of `period` that is over on `today`: yesterday, last Sunday
// (weeks run Monday to Sunday), or the last day of the previous month.
Date LastCompletePeriodEnd(Date today, ReportPeriod period);

// "<directory>/vigie-<MI|interministeriel>-<monthly|weekly|daily>-<last day>.<ext>".
std::string ScheduledReportPath(const ReportSchedule& schedule, Date last_day, ReportFormat format);

// Produces the reports of the schedules whose latest complete period (in Europe/Paris) has no
// report yet. The file is the record of a run: an existing one is never produced again, and a
// collector that was down produces the missed period's report at start-up. Only the latest
// period is caught up: older ones would show the same state, the store keeping no past state.
class ReportScheduler {
 public:
  ReportScheduler(Store& store, const JudgingRules& rules, std::vector<ReportSchedule> schedules,
                  int stale_after_days)
      : store_(store),
        rules_(rules),
        schedules_(std::move(schedules)),
        stale_after_days_(stale_after_days) {}

  // Refuses a schedule naming a ministry the deployment does not know.
  Status Check() const;

  // The paths written; an error for one schedule does not stop the others (the first is returned
  // after all have run).
  Result<std::vector<std::string>> RunDue(Timestamp now);

 private:
  Store& store_;
  JudgingRules rules_;
  std::vector<ReportSchedule> schedules_;
  int stale_after_days_;
};

}  // namespace vigie::collector
