#include "collector/store.h"
#include "common/crypto.h"

namespace vigie::collector {

Status Store::ForEachHost(const std::string& ministry,
                          const std::function<Status(const ListedHost&)>& each) {
  std::lock_guard lock(mutex_);
  // One statement is one read snapshot in WAL mode: writers go on, the list stays consistent.
  auto query = db_.Prepare(
      "SELECT ministry, hostname, org_unit, os_name, verdict, last_seen FROM hosts "
      "WHERE ?1 = '' OR ministry = ?1 ORDER BY ministry, hostname, host_key");
  if (!query.ok()) return query.status();
  query->Bind(1, ministry);
  ListedHost host;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    host.ministry = query->ColumnText(0);
    host.hostname = query->ColumnText(1);
    host.org_unit = query->ColumnText(2);
    host.os_name = query->ColumnText(3);
    host.verdict = static_cast<VerdictStatus>(query->ColumnInt(4));
    host.last_seen = Timestamp(std::chrono::seconds(query->ColumnInt(5)));
    VIGIE_RETURN_IF_ERROR(each(host));
  }
}

Result<std::string> Store::DeploymentKey(const std::string& name) {
  auto fresh = RandomHex(32);
  if (!fresh.ok()) return fresh.status();
  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare("INSERT OR IGNORE INTO deployment_keys (name, value) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, name).Bind(2, *fresh);
  VIGIE_RETURN_IF_ERROR(insert->Run());
  auto select = db_.Prepare("SELECT value FROM deployment_keys WHERE name = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, name);
  auto row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Internal("deployment key " + name + " was not kept");
  return select->ColumnText(0);
}

}  // namespace vigie::collector
