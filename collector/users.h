#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector {

// What a dashboard account may see: admin and interministerial see every ministry, a ministry
// account only its own (docs/dashboard.md, "Access control").
enum class Role { kAdmin, kInterministerial, kMinistry };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct User {
  std::string name;
  Role role = Role::kMinistry;
  std::string ministry;  // Only for Role::kMinistry.
  Timestamp created_at;
};

struct ApiToken {
  std::int64_t id = 0;
  std::string user;
  std::string label;
  Timestamp created_at;
};

// Dashboard accounts and API tokens, in the collector's database. Passwords are kept as Argon2id
// encoded hashes, tokens as their SHA-256: the database never holds a usable secret.
class UserDirectory {
 public:
  static constexpr std::size_t kMinPasswordLength = 12;

  static Result<UserDirectory> Open(const std::string& path);

  UserDirectory(UserDirectory&& other) noexcept : db_(std::move(other.db_)) {}
  UserDirectory(const UserDirectory&) = delete;
  UserDirectory& operator=(const UserDirectory&) = delete;

  // INVALID_ARGUMENT for a malformed name, a short password or a ministry that does not fit the
  // role; ALREADY_EXISTS for a taken name. The ministry code is checked by the caller.
  Status Add(const User& user, std::string_view password, Timestamp now);
  // Removes the account and its tokens. NOT_FOUND for an unknown name.
  Status Remove(const std::string& name);
  Result<std::vector<User>> List();
  Result<std::optional<User>> Find(const std::string& name);
  // The user when the password matches; nullopt otherwise. An unknown name costs the same time
  // as a wrong password, so that timing does not tell which names exist.
  Result<std::optional<User>> Authenticate(const std::string& name, std::string_view password);

  // Returns the new token, shown once: "vigie_" followed by 64 hex digits.
  Result<std::string> CreateToken(const std::string& user, const std::string& label, Timestamp now);
  Result<std::optional<User>> AuthenticateToken(std::string_view token);
  Result<std::vector<ApiToken>> ListTokens();
  // NOT_FOUND for an unknown id.
  Status RevokeToken(std::int64_t id);

 private:
  explicit UserDirectory(sqlite::Database db) : db_(std::move(db)) {}
  Result<std::optional<User>> FindLocked(const std::string& name);

  std::mutex mutex_;
  sqlite::Database db_;
};

// Whether `name` can be an account name: 1 to 64 characters among a-z, 0-9, '.', '_' and '-'.
bool IsWellFormedUserName(std::string_view name);

}  // namespace vigie::collector
