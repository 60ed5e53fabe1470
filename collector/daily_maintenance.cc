#include "collector/daily_maintenance.h"

#include <spdlog/spdlog.h>

#include "collector/host_evaluator.h"

namespace vigie::collector {

Status DailyMaintenance::RunIfDue(Timestamp now) {
  const Date today = Today(now);
  if (done_ == today) return Status::Ok();
  auto changed = store_.Reevaluate("", MakeHostEvaluator(deployment_.rules(), today), now,
                                   "daily re-evaluation");
  if (!changed.ok()) return changed.status().Annotate("daily re-evaluation");
  auto snapshot = store_.WriteDailySnapshot(today, deployment_.ministries());
  if (!snapshot.ok()) return snapshot.status().Annotate("daily snapshot");
  auto deleted = store_.DeleteReportsBefore(now - std::chrono::days(report_retention_days_));
  if (!deleted.ok()) return deleted.status().Annotate("report retention");
  spdlog::info(
      "daily maintenance for {}: {} verdict(s) changed, snapshot {}, {} old report(s) "
      "deleted",
      FormatIsoDate(today), *changed, *snapshot ? "written" : "already written", *deleted);
  done_ = today;
  return Status::Ok();
}

}  // namespace vigie::collector
