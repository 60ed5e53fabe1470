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
  ArchiveExpiry expiry;
  if (archive_) {
    // Logged, not returned: a file that cannot be deleted must not make the rest of the day's
    // work run again every hour; it keeps its row and is retried tomorrow.
    auto expired = archive_->Expire(now - std::chrono::days(archive_days_));
    if (expired.ok()) {
      expiry = *expired;
    } else {
      spdlog::error("report archive retention: {}", expired.status().message());
    }
  }
  spdlog::info(
      "daily maintenance for {}: {} verdict(s) changed, snapshot {}, {} old report(s) "
      "deleted, {} archived compliance report(s) expired ({} already missing)",
      FormatIsoDate(today), *changed, *snapshot ? "written" : "already written", *deleted,
      expiry.removed, expiry.missing);
  done_ = today;
  return Status::Ok();
}

}  // namespace vigie::collector
