// Store: where hosts and org units sit, and the record of their moves.
#include <map>

#include "collector/store.h"

namespace vigie::collector {
namespace {

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

struct StoredUnit {
  std::string parent;
  std::string name;
  bool removed = false;
};

}  // namespace

Status Store::RecordHostMove(const std::string& host_key, Timestamp at, const Placement& from,
                             const Placement& to, const std::string& actor) {
  auto insert = db_.Prepare(
      "INSERT INTO host_moves (host_key, at, from_ministry, from_org_unit, to_ministry, "
      "to_org_unit, actor) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, host_key)
      .Bind(2, Seconds(at))
      .Bind(3, from.ministry)
      .Bind(4, from.org_unit)
      .Bind(5, to.ministry)
      .Bind(6, to.org_unit)
      .Bind(7, actor);
  return insert->Run();
}

Result<std::int64_t> Store::SyncOrgUnits(const MinistryList& ministries, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto select =
      db_.Prepare("SELECT ministry, id, parent, name, removed_at IS NOT NULL FROM org_units");
  if (!select.ok()) return select.status();
  std::map<std::pair<std::string, std::string>, StoredUnit> stored;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    stored[{select->ColumnText(0), select->ColumnText(1)}] = {
        select->ColumnText(2), select->ColumnText(3), select->ColumnInt(4) != 0};
  }
  auto upsert = db_.Prepare(
      "INSERT INTO org_units (ministry, id, parent, name, removed_at) VALUES (?1, ?2, ?3, ?4, "
      "NULL) ON CONFLICT (ministry, id) DO UPDATE SET parent = ?3, name = ?4, removed_at = NULL");
  auto remove = db_.Prepare("UPDATE org_units SET removed_at = ?3 WHERE ministry = ?1 AND id = ?2");
  auto record = db_.Prepare(
      "INSERT INTO org_unit_changes (ministry, org_unit, at, change, from_parent, to_parent) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!upsert.ok()) return upsert.status();
  if (!remove.ok()) return remove.status();
  if (!record.ok()) return record.status();
  std::int64_t changes = 0;
  const auto note = [&](const std::string& ministry, const std::string& unit, const char* change,
                        const std::string& from, const std::string& to) -> Status {
    ++changes;
    record->Reset();
    record->Bind(1, ministry).Bind(2, unit).Bind(3, Seconds(now)).Bind(4, change);
    record->Bind(5, from).Bind(6, to);
    return record->Run();
  };
  for (const Ministry& ministry : ministries.all()) {
    for (const OrgUnit& unit : ministry.org_units) {
      auto known = stored.find({ministry.code, unit.id});
      if (known == stored.end() || known->second.removed) {
        VIGIE_RETURN_IF_ERROR(note(ministry.code, unit.id, "added", "", unit.parent));
      } else if (known->second.parent != unit.parent) {
        VIGIE_RETURN_IF_ERROR(
            note(ministry.code, unit.id, "moved", known->second.parent, unit.parent));
      } else if (known->second.name != unit.name) {
        VIGIE_RETURN_IF_ERROR(note(ministry.code, unit.id, "renamed", unit.parent, unit.parent));
      } else {
        stored.erase(known);
        continue;
      }
      if (known != stored.end()) stored.erase(known);
      upsert->Reset();
      upsert->Bind(1, ministry.code).Bind(2, unit.id).Bind(3, unit.parent).Bind(4, unit.name);
      VIGIE_RETURN_IF_ERROR(upsert->Run());
    }
  }
  for (const auto& [key, unit] : stored) {
    if (unit.removed) continue;
    VIGIE_RETURN_IF_ERROR(note(key.first, key.second, "removed", unit.parent, ""));
    remove->Reset();
    remove->Bind(1, key.first).Bind(2, key.second).Bind(3, Seconds(now));
    VIGIE_RETURN_IF_ERROR(remove->Run());
  }
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return changes;
}

Result<std::vector<HostRef>> Store::FindHosts(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT host_key, hostname, ministry, org_unit FROM hosts WHERE host_key = ?1 "
      "UNION SELECT host_key, hostname, ministry, org_unit FROM hosts WHERE hostname = ?1 "
      "COLLATE NOCASE ORDER BY 3, 2, 1");
  if (!query.ok()) return query.status();
  query->Bind(1, name);
  std::vector<HostRef> hosts;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    hosts.push_back(
        {query->ColumnText(0), query->ColumnText(1), {query->ColumnText(2), query->ColumnText(3)}});
  }
  return hosts;
}

Result<std::optional<Placement>> Store::PlacementOf(const std::string& host_key) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT ministry, org_unit FROM hosts WHERE host_key = ?");
  if (!query.ok()) return query.status();
  query->Bind(1, host_key);
  auto found = query->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<Placement>();
  return std::optional<Placement>(Placement{query->ColumnText(0), query->ColumnText(1)});
}

Status Store::MoveHost(const std::string& host_key, const std::string& org_unit,
                       const std::string& actor, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto select = db_.Prepare("SELECT ministry, org_unit FROM hosts WHERE host_key = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, host_key);
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no host " + host_key);
  const Placement from{select->ColumnText(0), select->ColumnText(1)};
  if (from.org_unit == org_unit) {
    return FailedPrecondition("host " + host_key + " is already in " +
                              (org_unit.empty() ? "no org unit" : "org unit " + org_unit));
  }
  auto update = db_.Prepare("UPDATE hosts SET org_unit = ? WHERE host_key = ?");
  if (!update.ok()) return update.status();
  update->Bind(1, org_unit).Bind(2, host_key);
  VIGIE_RETURN_IF_ERROR(update->Run());
  VIGIE_RETURN_IF_ERROR(RecordHostMove(host_key, now, from, {from.ministry, org_unit}, actor));
  return transaction->Commit();
}

Result<std::vector<UnitCounts>> Store::CountHostsByOrgUnit(const std::string& ministry) {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT org_unit, verdict, hosts FROM unit_verdict_counts WHERE ministry = ? AND hosts > 0 "
      "ORDER BY org_unit");
  if (!query.ok()) return query.status();
  query->Bind(1, ministry);
  std::vector<UnitCounts> counts;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string unit = query->ColumnText(0);
    if (counts.empty() || counts.back().org_unit != unit) counts.push_back({std::move(unit), {}});
    const auto verdict = query->ColumnInt(1);
    if (verdict >= 0 &&
        verdict < static_cast<std::int64_t>(counts.back().hosts_by_verdict.size())) {
      counts.back().hosts_by_verdict[verdict] += query->ColumnInt(2);
    }
  }
  return counts;
}

}  // namespace vigie::collector
