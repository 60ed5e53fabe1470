#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "common/model.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector::http {

// Browser sessions, in the collector's database so that a restart logs nobody out. The cookie's
// value is a random secret of which only the SHA-256 is stored: a copy of the database opens no
// session. A session ends when logged out, when its account is removed (the rows go with it),
// or after `idle_timeout` without a request.
class SessionStore {
 public:
  struct Session {
    std::string user;
    std::string csrf_token;
  };
  struct Created {
    std::string id;  // The cookie's value.
    std::string csrf_token;
  };

  static Result<SessionStore> Open(const std::string& database, std::chrono::minutes idle_timeout);

  SessionStore(SessionStore&& other) noexcept
      : idle_timeout_(other.idle_timeout_), db_(std::move(other.db_)) {}

  Result<Created> Create(const std::string& user, Timestamp now);
  // The session if it exists and was used within the idle timeout (which it then extends).
  Result<std::optional<Session>> Use(const std::string& id, Timestamp now);
  Status Remove(const std::string& id);

 private:
  SessionStore(std::chrono::minutes idle_timeout, sqlite::Database db)
      : idle_timeout_(idle_timeout), db_(std::move(db)) {}

  std::chrono::minutes idle_timeout_;
  std::mutex mutex_;  // Guards db_.
  sqlite::Database db_;
};

}  // namespace vigie::collector::http
