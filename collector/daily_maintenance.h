#pragma once

#include <optional>

#include "collector/deployment.h"
#include "collector/report_archive.h"
#include "collector/store.h"
#include "common/status.h"

namespace vigie::collector {

// The collector's daily work, so that verdicts follow the calendar without new reports:
// re-evaluate every host (derogations that start or end, hosts silent for too long), write the
// day's snapshot for trends, delete raw reports older than the retention period, and expire
// archived compliance reports.
class DailyMaintenance {
 public:
  DailyMaintenance(Store& store, const Deployment& deployment, int report_retention_days)
      : store_(store), deployment_(deployment), report_retention_days_(report_retention_days) {}

  // Archived reports produced more than `keep_days` ago are deleted with their files (the newest
  // of each ministry, period and format is kept).
  void ExpireArchivedReports(ReportArchive& archive, int keep_days) {
    archive_ = &archive;
    archive_days_ = keep_days;
  }

  // Does the work of `now`'s day unless it is done already: calling it at start-up and then
  // every hour is enough, and a collector that was down catches up at once.
  Status RunIfDue(Timestamp now);

 private:
  Store& store_;
  const Deployment& deployment_;
  int report_retention_days_;
  ReportArchive* archive_ = nullptr;
  int archive_days_ = 0;
  std::optional<Date> done_;
};

}  // namespace vigie::collector
