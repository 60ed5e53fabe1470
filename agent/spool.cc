#include "agent/spool.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace vigie::agent {
namespace {

constexpr std::string_view kMigrations[] = {
    // `seq` gives the delivery order; AUTOINCREMENT so that a removed report's number is never
    // reused by a newer one.
    R"sql(
      CREATE TABLE reports (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL UNIQUE,
        payload BLOB NOT NULL,
        added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
      );
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO counters VALUES ('dropped', 0);
    )sql",
    R"sql(
      INSERT INTO counters VALUES ('delivery-failures', 0), ('next-attempt-ms', 0);
    )sql",
};

bool IsDamage(const Status& status) { return status.code() == StatusCode::kDataLoss; }

// Renames the damaged file and its WAL companions to `<file>.corrupt-<UTC time>[-wal|-shm]`.
Result<std::string> MoveAside(const std::string& path) {
  const std::string aside =
      fmt::format("{}.corrupt-{:%Y%m%dT%H%M%SZ}", path,
                  std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  for (const std::string_view suffix : {"", "-wal", "-shm"}) {
    std::error_code error;
    const std::string from = path + std::string(suffix);
    if (!std::filesystem::exists(from, error)) continue;
    std::filesystem::rename(from, aside + std::string(suffix), error);
    if (error) {
      return Unavailable("cannot move the damaged spool " + from + " aside: " + error.message());
    }
  }
  return aside;
}

Result<sqlite::Database> OpenChecked(const std::string& path) {
  auto db = sqlite::Database::Open(path, {}, kMigrations);
  if (!db.ok()) return db.status();
  // A damaged page elsewhere in the file would only show when a report is read; check now so
  // that the damage is handled once, at start.
  auto check = db->Prepare("PRAGMA quick_check");
  if (!check.ok()) return check.status();
  auto row = check->Step();
  if (!row.ok()) return row.status();
  if (*row && check->ColumnText(0) != "ok") {
    return DataLoss("integrity check: " + check->ColumnText(0));
  }
  return db;
}

}  // namespace

Result<sqlite::Database> Spool::OpenOrReplace(const std::string& path) {
  auto db = OpenChecked(path);
  if (db.ok() || !IsDamage(db.status())) return db;
  auto aside = MoveAside(path);
  if (!aside.ok()) return aside.status();
  spdlog::error(
      "spool {} is damaged ({}); moved to {} and replaced by an empty spool (its reports are "
      "lost)",
      path, db.status().message(), *aside);
  return OpenChecked(path);
}

Result<std::unique_ptr<Spool>> Spool::Open(const std::string& path, const Limits& limits) {
  auto db = OpenOrReplace(path);
  if (!db.ok()) return db.status();
  return std::unique_ptr<Spool>(new Spool(path, limits, std::move(db).value()));
}

Status Spool::RecoverFrom(Status status) {
  if (!IsDamage(status)) return status;
  // Close the damaged file before moving it: the rename must not race this connection.
  db_.reset();
  auto aside = MoveAside(path_);
  if (!aside.ok()) return aside.status();
  spdlog::error("spool {} is damaged ({}); moved to {} and replaced by an empty spool", path_,
                status.message(), *aside);
  auto fresh = OpenChecked(path_);
  if (!fresh.ok()) return fresh.status();
  db_.emplace(std::move(fresh).value());
  return status.Annotate("spool replaced");
}

Status Spool::Ready() {
  if (db_) return Status::Ok();
  auto db = OpenOrReplace(path_);
  if (!db.ok()) return db.status();
  db_.emplace(std::move(db).value());
  return Status::Ok();
}

Status Spool::Add(const SpooledReport& report) {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  return RecoverFrom(AddLocked(report));
}

Status Spool::AddLocked(const SpooledReport& report) {
  auto transaction = sqlite::Transaction::Begin(db());
  if (!transaction.ok()) return transaction.status();
  auto insert = db().Prepare("INSERT OR IGNORE INTO reports (report_id, payload) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  VIGIE_RETURN_IF_ERROR(insert->Bind(1, report.report_id).BindBlob(2, report.payload).Run());
  VIGIE_RETURN_IF_ERROR(TrimLocked(report.report_id));
  return transaction->Commit();
}

Status Spool::TrimLocked(const std::string& keep_id) {
  auto oldest = db().Prepare(
      "SELECT count(*), coalesce(sum(length(payload)), 0), "
      "(SELECT seq FROM reports WHERE report_id <> ? ORDER BY seq LIMIT 1) FROM reports");
  if (!oldest.ok()) return oldest.status();
  auto drop = db().Prepare("DELETE FROM reports WHERE seq = ?");
  if (!drop.ok()) return drop.status();
  auto count = db().Prepare("UPDATE counters SET value = value + 1 WHERE name = 'dropped'");
  if (!count.ok()) return count.status();
  while (true) {
    oldest->Reset();
    oldest->Bind(1, keep_id);
    auto row = oldest->Step();
    if (!row.ok()) return row.status();
    const std::int64_t depth = oldest->ColumnInt(0);
    const std::int64_t bytes = oldest->ColumnInt(1);
    if ((depth <= limits_.max_reports && bytes <= limits_.max_bytes) || oldest->ColumnIsNull(2)) {
      return Status::Ok();
    }
    const std::int64_t seq = oldest->ColumnInt(2);
    oldest->Reset();
    drop->Reset();
    VIGIE_RETURN_IF_ERROR(drop->Bind(1, seq).Run());
    count->Reset();
    VIGIE_RETURN_IF_ERROR(count->Run());
  }
}

Result<std::optional<SpooledReport>> Spool::Oldest() {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  auto read = [&]() -> Result<std::optional<SpooledReport>> {
    auto select = db().Prepare("SELECT report_id, payload FROM reports ORDER BY seq LIMIT 1");
    if (!select.ok()) return select.status();
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<SpooledReport>();
    return std::optional<SpooledReport>(
        SpooledReport{select->ColumnText(0), select->ColumnText(1)});
  };
  auto report = read();
  if (report.ok()) return report;
  return RecoverFrom(report.status());
}

Status Spool::Remove(const std::string& report_id, bool dropped) {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  auto remove = [&]() -> Status {
    auto transaction = sqlite::Transaction::Begin(db());
    if (!transaction.ok()) return transaction.status();
    auto erase = db().Prepare("DELETE FROM reports WHERE report_id = ?");
    if (!erase.ok()) return erase.status();
    VIGIE_RETURN_IF_ERROR(erase->Bind(1, report_id).Run());
    if (dropped && db().Changes() > 0) {
      VIGIE_RETURN_IF_ERROR(
          db().Execute("UPDATE counters SET value = value + 1 WHERE name = 'dropped'"));
    }
    return transaction->Commit();
  };
  return RecoverFrom(remove());
}

Result<SpoolStats> Spool::Stats() {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  auto read = [&]() -> Result<SpoolStats> {
    auto select = db().Prepare(
        "SELECT count(*), coalesce(sum(length(payload)), 0), "
        "(SELECT value FROM counters WHERE name = 'dropped') FROM reports");
    if (!select.ok()) return select.status();
    auto row = select->Step();
    if (!row.ok()) return row.status();
    SpoolStats stats;
    stats.depth = select->ColumnInt(0);
    stats.bytes = select->ColumnInt(1);
    stats.dropped = select->ColumnInt(2);
    return stats;
  };
  auto stats = read();
  if (stats.ok()) return stats;
  return RecoverFrom(stats.status());
}

Result<DeliverySchedule> Spool::Schedule() {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  auto read = [&]() -> Result<DeliverySchedule> {
    auto select = db().Prepare(
        "SELECT (SELECT value FROM counters WHERE name = 'delivery-failures'), "
        "(SELECT value FROM counters WHERE name = 'next-attempt-ms')");
    if (!select.ok()) return select.status();
    auto row = select->Step();
    if (!row.ok()) return row.status();
    DeliverySchedule schedule;
    schedule.failures = static_cast<int>(select->ColumnInt(0));
    if (const std::int64_t next = select->ColumnInt(1); next > 0) {
      schedule.next_attempt =
          std::chrono::system_clock::time_point(std::chrono::milliseconds(next));
    }
    return schedule;
  };
  auto schedule = read();
  if (schedule.ok()) return schedule;
  return RecoverFrom(schedule.status());
}

Status Spool::SetSchedule(const DeliverySchedule& schedule) {
  std::lock_guard lock(mutex_);
  VIGIE_RETURN_IF_ERROR(Ready());
  auto write = [&]() -> Status {
    auto transaction = sqlite::Transaction::Begin(db());
    if (!transaction.ok()) return transaction.status();
    auto update = db().Prepare("UPDATE counters SET value = ? WHERE name = ?");
    if (!update.ok()) return update.status();
    const std::int64_t next = schedule.next_attempt
                                  ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                        schedule.next_attempt->time_since_epoch())
                                        .count()
                                  : 0;
    VIGIE_RETURN_IF_ERROR(
        update->Bind(1, std::int64_t{schedule.failures}).Bind(2, "delivery-failures").Run());
    update->Reset();
    VIGIE_RETURN_IF_ERROR(update->Bind(1, next).Bind(2, "next-attempt-ms").Run());
    return transaction->Commit();
  };
  return RecoverFrom(write());
}

}  // namespace vigie::agent
