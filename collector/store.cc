#include "collector/store.h"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string_view>

namespace vigie::collector {
namespace {

// Numbered migrations: entry i brings the schema from version i to i + 1. Never edit one that has
// shipped; append a new one.
constexpr std::string_view kMigrations[] = {
    R"sql(
    -- Every report as received: the history, and the proof of what each agent said.
    CREATE TABLE reports (
      id            INTEGER PRIMARY KEY,
      report_id     TEXT    NOT NULL UNIQUE,  -- the agent's idempotency key
      host_key      TEXT    NOT NULL,         -- HostIdentity.host_id
      ministry      TEXT    NOT NULL,
      received_at   INTEGER NOT NULL,         -- Unix seconds, collector clock
      scan_finished INTEGER NOT NULL,         -- Unix seconds, agent clock
      verdict       INTEGER NOT NULL,         -- VerdictStatus computed on ingest
      reasons       TEXT    NOT NULL,         -- JSON array of French reasons
      payload       BLOB    NOT NULL          -- vigie.v1.InventoryReport, protobuf bytes
    ) STRICT;
    CREATE INDEX reports_by_host ON reports (host_key, scan_finished);

    -- The latest state of each host: what summaries and dashboards read.
    CREATE TABLE hosts (
      id            INTEGER PRIMARY KEY,
      host_key      TEXT    NOT NULL UNIQUE,
      ministry      TEXT    NOT NULL,
      hostname      TEXT    NOT NULL,
      os_family     INTEGER NOT NULL,
      os_name       TEXT    NOT NULL,
      first_seen    INTEGER NOT NULL,         -- Unix seconds, collector clock
      last_seen     INTEGER NOT NULL,         -- Unix seconds, collector clock
      last_scan     INTEGER NOT NULL,         -- scan_finished of the latest report
      latest_report INTEGER NOT NULL REFERENCES reports (id),
      verdict       INTEGER NOT NULL,
      reasons       TEXT    NOT NULL
    ) STRICT;
    CREATE INDEX hosts_by_ministry_verdict ON hosts (ministry, verdict);
    )sql",
};

std::string ReasonsJson(const Verdict& verdict) {
  return nlohmann::json(verdict.reasons)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

}  // namespace

Result<Store> Store::Open(const std::string& path, Mode mode) {
  // kExisting refuses to create an empty database where the operator expected their data.
  auto db = sqlite::Database::Open(path, {.create = mode == Mode::kCreate}, kMigrations);
  if (!db.ok() && mode == Mode::kExisting && ::access(path.c_str(), F_OK) != 0) {
    return NotFound("no collector database at " + path +
                    " (start `vigie-collector serve` first, or pass --database)");
  }
  if (!db.ok()) return db.status();
  return Store(std::move(db).value());
}

Result<IngestOutcome> Store::Ingest(const InventoryReport& report, std::string_view payload,
                                    const Verdict& verdict, Timestamp received) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();

  auto existing = db_.Prepare("SELECT verdict, reasons FROM reports WHERE report_id = ?");
  if (!existing.ok()) return existing.status();
  existing->Bind(1, report.report_id);
  auto found = existing->Step();
  if (!found.ok()) return found.status();
  if (*found) {
    IngestOutcome outcome{.duplicate = true, .verdict = {}};
    outcome.verdict.status = static_cast<VerdictStatus>(existing->ColumnInt(0));
    const auto reasons = nlohmann::json::parse(existing->ColumnText(1), nullptr, false);
    if (reasons.is_array()) {
      for (const auto& reason : reasons) {
        if (reason.is_string()) outcome.verdict.reasons.push_back(reason.get<std::string>());
      }
    }
    return outcome;
  }

  const std::string reasons = ReasonsJson(verdict);
  const std::int64_t scan_finished = Seconds(report.scan_finished.value_or(received));
  auto insert = db_.Prepare(
      "INSERT INTO reports (report_id, host_key, ministry, received_at, scan_finished, verdict, "
      "reasons, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, report.report_id)
      .Bind(2, report.host.host_id)
      .Bind(3, report.ministry)
      .Bind(4, Seconds(received))
      .Bind(5, scan_finished)
      .Bind(6, static_cast<std::int64_t>(verdict.status))
      .Bind(7, reasons)
      .BindBlob(8, payload);
  VIGIE_RETURN_IF_ERROR(insert->Run());
  const std::int64_t report_row = db_.LastInsertRowId();

  // A late report (older scan than the one on record) joins the history but does not roll the
  // host's state back.
  auto upsert = db_.Prepare(R"sql(
      INSERT INTO hosts (host_key, ministry, hostname, os_family, os_name, first_seen, last_seen,
                         last_scan, latest_report, verdict, reasons)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10)
      ON CONFLICT (host_key) DO UPDATE SET
        last_seen = excluded.last_seen,
        ministry = iif(excluded.last_scan >= last_scan, excluded.ministry, ministry),
        hostname = iif(excluded.last_scan >= last_scan, excluded.hostname, hostname),
        os_family = iif(excluded.last_scan >= last_scan, excluded.os_family, os_family),
        os_name = iif(excluded.last_scan >= last_scan, excluded.os_name, os_name),
        latest_report = iif(excluded.last_scan >= last_scan, excluded.latest_report, latest_report),
        verdict = iif(excluded.last_scan >= last_scan, excluded.verdict, verdict),
        reasons = iif(excluded.last_scan >= last_scan, excluded.reasons, reasons),
        last_scan = max(excluded.last_scan, last_scan)
      )sql");
  if (!upsert.ok()) return upsert.status();
  upsert->Bind(1, report.host.host_id)
      .Bind(2, report.ministry)
      .Bind(3, report.host.hostname)
      .Bind(4, static_cast<std::int64_t>(report.host.os_family))
      .Bind(5, report.host.os_name)
      .Bind(6, Seconds(received))
      .Bind(7, scan_finished)
      .Bind(8, report_row)
      .Bind(9, static_cast<std::int64_t>(verdict.status))
      .Bind(10, reasons);
  VIGIE_RETURN_IF_ERROR(upsert->Run());
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return IngestOutcome{.duplicate = false, .verdict = verdict};
}

Result<std::vector<MinistryCounts>> Store::CountHostsByMinistry() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT ministry, verdict, COUNT(*) FROM hosts GROUP BY ministry, verdict ORDER BY ministry");
  if (!query.ok()) return query.status();
  std::vector<MinistryCounts> counts;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string ministry = query->ColumnText(0);
    if (counts.empty() || counts.back().ministry != ministry) {
      counts.push_back({.ministry = std::move(ministry)});
    }
    const auto verdict = query->ColumnInt(1);
    const auto hosts = query->ColumnInt(2);
    auto& entry = counts.back();
    if (verdict >= 0 && verdict < static_cast<std::int64_t>(entry.hosts_by_verdict.size())) {
      entry.hosts_by_verdict[verdict] += hosts;
    }
    entry.hosts += hosts;
  }
  return counts;
}

Result<std::int64_t> Store::CountReports() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT COUNT(*) FROM reports");
  if (!query.ok()) return query.status();
  auto row = query->Step();
  if (!row.ok()) return row.status();
  return query->ColumnInt(0);
}

}  // namespace vigie::collector
