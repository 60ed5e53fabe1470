#include "collector/http/session_store.h"

#include "collector/store.h"
#include "common/crypto.h"

namespace vigie::collector::http {
namespace {

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

// Refreshing last_used on every request would make each page view a write that waits for the
// ingest writer; once a minute is precise enough for an eight-hour idle timeout.
constexpr std::int64_t kRefreshSeconds = 60;

}  // namespace

Result<SessionStore> SessionStore::Open(const std::string& database,
                                        std::chrono::minutes idle_timeout) {
  auto db = sqlite::Database::Open(database, sqlite::Database::Options(), StoreMigrations());
  if (!db.ok()) return db.status();
  return SessionStore(idle_timeout, std::move(db).value());
}

Result<SessionStore::Created> SessionStore::Create(const std::string& user, Timestamp now) {
  auto id = RandomHex(32);
  if (!id.ok()) return id.status();
  auto csrf = RandomHex(32);
  if (!csrf.ok()) return csrf.status();
  std::lock_guard lock(mutex_);
  auto expire = db_.Prepare("DELETE FROM sessions WHERE last_used < ?");
  if (!expire.ok()) return expire.status();
  expire->Bind(1, Seconds(now) - idle_timeout_.count() * 60);
  VIGIE_RETURN_IF_ERROR(expire->Run());
  auto insert = db_.Prepare(
      "INSERT INTO sessions (id_hash, user_name, csrf_token, created_at, last_used) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, Sha256Hex(*id))
      .Bind(2, user)
      .Bind(3, *csrf)
      .Bind(4, Seconds(now))
      .Bind(5, Seconds(now));
  VIGIE_RETURN_IF_ERROR(insert->Run());
  return Created{*id, *csrf};
}

Result<std::optional<SessionStore::Session>> SessionStore::Use(const std::string& id,
                                                               Timestamp now) {
  const std::string hash = Sha256Hex(id);
  std::lock_guard lock(mutex_);
  auto query =
      db_.Prepare("SELECT user_name, csrf_token, last_used FROM sessions WHERE id_hash = ?");
  if (!query.ok()) return query.status();
  query->Bind(1, hash);
  auto found = query->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<Session>();
  Session session{query->ColumnText(0), query->ColumnText(1)};
  const std::int64_t last_used = query->ColumnInt(2);
  const std::int64_t seconds = Seconds(now);
  if (seconds - last_used > idle_timeout_.count() * 60) {
    auto remove = db_.Prepare("DELETE FROM sessions WHERE id_hash = ?");
    if (!remove.ok()) return remove.status();
    remove->Bind(1, hash);
    VIGIE_RETURN_IF_ERROR(remove->Run());
    return std::optional<Session>();
  }
  if (seconds - last_used >= kRefreshSeconds) {
    auto touch = db_.Prepare("UPDATE sessions SET last_used = ? WHERE id_hash = ?");
    if (!touch.ok()) return touch.status();
    touch->Bind(1, seconds).Bind(2, hash);
    VIGIE_RETURN_IF_ERROR(touch->Run());
  }
  return std::optional<Session>(std::move(session));
}

Status SessionStore::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM sessions WHERE id_hash = ?");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, Sha256Hex(id));
  return remove->Run();
}

}  // namespace vigie::collector::http
