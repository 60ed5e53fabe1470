#pragma once

#include <optional>

#include "collector/deployment.h"
#include "collector/store.h"
#include "common/status.h"

namespace vigie::collector {

// The collector's daily work, so that verdicts follow the calendar without new reports:
// re-evaluate every host (derogations that start or end, hosts silent for too long), write the
// day's snapshot for trends, and delete raw reports older than the retention period.
class DailyMaintenance {
 public:
  DailyMaintenance(Store& store, const Deployment& deployment, int report_retention_days)
      : store_(store), deployment_(deployment), report_retention_days_(report_retention_days) {}

  // Does the work of `now`'s day unless it is done already: calling it at start-up and then
  // every hour is enough, and a collector that was down catches up at once.
  Status RunIfDue(Timestamp now);

 private:
  Store& store_;
  const Deployment& deployment_;
  int report_retention_days_;
  std::optional<Date> done_;
};

}  // namespace vigie::collector
