// The ingest writer's batched path into the store (collector/ingest_writer.h).
#include <map>

#include "collector/store.h"

namespace vigie::collector {

Status Store::CheckWritable() {
  std::lock_guard lock(mutex_);
  if (sqlite3_db_readonly(db_.handle(), "main") != 1) return Status::Ok();
  return FailedPrecondition("database " + db_.path() +
                            " is read-only for this process (its permissions, its owner or a "
                            "read-only file system): the collector could not store any report");
}

Status Store::MakeCommitsDurable() {
  std::lock_guard lock(mutex_);
  return db_.Execute("PRAGMA synchronous=FULL");
}

Result<std::vector<Result<IngestOutcome>>> Store::IngestBatch(
    std::span<const PendingReport> reports, const HostEvaluator& evaluate) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto placement = db_.Prepare("SELECT ministry, org_unit FROM hosts WHERE host_key = ?");
  if (!placement.ok()) return placement.status();
  std::map<std::string, std::vector<doctrine::Derogation>> derogations;

  std::vector<Result<IngestOutcome>> outcomes;
  outcomes.reserve(reports.size());
  for (const PendingReport& pending : reports) {
    const InventoryReport& report = pending.report;
    VIGIE_RETURN_IF_ERROR(db_.Execute("SAVEPOINT report"));
    auto outcome = [&]() -> Result<IngestOutcome> {
      // A duplicate is answered before anything is evaluated: it may be a retry of a report
      // whose acknowledgement was lost.
      auto stored = StoredOutcome(report.report_id);
      if (!stored.ok()) return stored.status();
      if (*stored) return **stored;
      auto known = derogations.find(report.ministry);
      if (known == derogations.end()) {
        auto loaded = DerogationsOfLocked(report.ministry);
        if (!loaded.ok()) return loaded.status();
        known = derogations.emplace(report.ministry, std::move(loaded).value()).first;
      }
      placement->Reset();
      placement->Bind(1, report.host.host_id);
      auto placed = placement->Step();
      if (!placed.ok()) return placed.status();
      // An operator's placement within the same ministry stays; otherwise the enrollment's org
      // unit applies (as IngestLocked places the host).
      const bool keeps_placement = *placed && placement->ColumnText(0) == report.ministry &&
                                   !placement->ColumnText(1).empty();
      const std::string org_unit =
          keeps_placement ? placement->ColumnText(1) : pending.enrolled_org_unit;
      const Verdict verdict = evaluate(report, known->second, pending.received, org_unit);
      return IngestLocked(report, pending.payload, verdict, pending.received,
                          pending.enrolled_org_unit);
    }();
    if (outcome.ok()) {
      VIGIE_RETURN_IF_ERROR(db_.Execute("RELEASE report"));
    } else if (sqlite3_get_autocommit(db_.handle()) != 0) {
      // SQLite rolled the whole transaction back (disk full, I/O error): the reports before this
      // one are gone too, so the batch fails as a whole.
      return outcome.status();
    } else {
      VIGIE_RETURN_IF_ERROR(db_.Execute("ROLLBACK TO report"));
      VIGIE_RETURN_IF_ERROR(db_.Execute("RELEASE report"));
    }
    outcomes.push_back(std::move(outcome));
  }
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return outcomes;
}

}  // namespace vigie::collector
