#include "collector/users.h"

#include <argon2.h>

#include <array>

#include "collector/store.h"
#include "common/crypto.h"

namespace vigie::collector {
namespace {

// OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): a login costs tens of milliseconds,
// an offline guess as much.
constexpr std::uint32_t kTimeCost = 2;
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kHashLength = 32;
constexpr std::string_view kTokenPrefix = "vigie_";

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }

Result<std::string> HashPassword(std::string_view password) {
  auto salt = RandomHex(16);
  if (!salt.ok()) return salt.status();
  const std::size_t length =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, static_cast<std::uint32_t>(salt->size()),
                        kHashLength, Argon2_id);
  std::string encoded(length, '\0');
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(),
                                       password.size(), salt->data(), salt->size(), kHashLength,
                                       encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Internal(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(const std::string& encoded, std::string_view password) {
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

User UserFromRow(const sqlite::Statement& row) {
  User user;
  user.name = row.ColumnText(0);
  user.role = ParseRole(row.ColumnText(1)).value_or(Role::kMinistry);
  user.ministry = row.ColumnText(2);
  user.created_at = Timestamp{std::chrono::seconds{row.ColumnInt(3)}};
  return user;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kInterministerial:
      return "interministerial";
    case Role::kMinistry:
      return "ministry";
  }
  return "ministry";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kAdmin, Role::kInterministerial, Role::kMinistry}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

bool IsWellFormedUserName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<UserDirectory> UserDirectory::Open(const std::string& path) {
  // Creates and migrates the database like the store would, so accounts can exist before the
  // first `serve`.
  auto db = sqlite::Database::Open(path, sqlite::Database::Options(), StoreMigrations());
  if (!db.ok()) return db.status();
  return UserDirectory(std::move(db).value());
}

Status UserDirectory::Add(const User& user, std::string_view password, Timestamp now) {
  if (!IsWellFormedUserName(user.name)) {
    return InvalidArgument("user name '" + user.name +
                           "' must be 1 to 64 characters among a-z, 0-9, '.', '_' and '-'");
  }
  if (password.size() < kMinPasswordLength) {
    return InvalidArgument("the password must have at least " + std::to_string(kMinPasswordLength) +
                           " characters");
  }
  if ((user.role == Role::kMinistry) == user.ministry.empty()) {
    return InvalidArgument(user.role == Role::kMinistry
                               ? "a ministry account needs --ministry"
                               : "only a ministry account takes --ministry");
  }
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  std::lock_guard lock(mutex_);
  auto existing = FindLocked(user.name);
  if (!existing.ok()) return existing.status();
  if (*existing) return {StatusCode::kAlreadyExists, "user " + user.name + " already exists"};
  auto insert = db_.Prepare(
      "INSERT INTO users (name, role, ministry, password_hash, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, user.name)
      .Bind(2, RoleName(user.role))
      .Bind(3, user.ministry)
      .Bind(4, *hash)
      .Bind(5, Seconds(now));
  return insert->Run();
}

Status UserDirectory::Remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM users WHERE name = ?");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, name);
  VIGIE_RETURN_IF_ERROR(remove->Run());
  if (db_.Changes() == 0) return NotFound("no user named " + name);
  return Status::Ok();
}

Result<std::vector<User>> UserDirectory::List() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT name, role, ministry, created_at FROM users ORDER BY name");
  if (!query.ok()) return query.status();
  std::vector<User> users;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    users.push_back(UserFromRow(*query));
  }
  return users;
}

Result<std::optional<User>> UserDirectory::Find(const std::string& name) {
  std::lock_guard lock(mutex_);
  return FindLocked(name);
}

Result<std::optional<User>> UserDirectory::FindLocked(const std::string& name) {
  auto query = db_.Prepare("SELECT name, role, ministry, created_at FROM users WHERE name = ?");
  if (!query.ok()) return query.status();
  query->Bind(1, name);
  auto row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*query));
}

Result<std::optional<User>> UserDirectory::Authenticate(const std::string& name,
                                                        std::string_view password) {
  std::string encoded;
  std::optional<User> user;
  {
    std::lock_guard lock(mutex_);
    auto query = db_.Prepare(
        "SELECT name, role, ministry, created_at, password_hash FROM users WHERE name = ?");
    if (!query.ok()) return query.status();
    query->Bind(1, name);
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      user = UserFromRow(*query);
      encoded = query->ColumnText(4);
    }
  }
  if (!user) {
    // Same work as a real check, so that response times do not reveal which names exist.
    (void)HashPassword(password);
    return std::optional<User>();
  }
  if (!VerifyPassword(encoded, password)) return std::optional<User>();
  return user;
}

Result<std::string> UserDirectory::CreateToken(const std::string& user, const std::string& label,
                                               Timestamp now) {
  auto secret = RandomHex(32);
  if (!secret.ok()) return secret.status();
  const std::string token = std::string(kTokenPrefix) + *secret;
  std::lock_guard lock(mutex_);
  auto existing = FindLocked(user);
  if (!existing.ok()) return existing.status();
  if (!*existing) return NotFound("no user named " + user);
  auto insert = db_.Prepare(
      "INSERT INTO api_tokens (user_name, token_hash, label, created_at) VALUES (?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, user).Bind(2, Sha256Hex(token)).Bind(3, label).Bind(4, Seconds(now));
  VIGIE_RETURN_IF_ERROR(insert->Run());
  return token;
}

Result<std::optional<User>> UserDirectory::AuthenticateToken(std::string_view token) {
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::optional<User>();
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare(
      "SELECT u.name, u.role, u.ministry, u.created_at FROM api_tokens t "
      "JOIN users u ON u.name = t.user_name WHERE t.token_hash = ?");
  if (!query.ok()) return query.status();
  query->Bind(1, Sha256Hex(token));
  auto row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*query));
}

Result<std::vector<ApiToken>> UserDirectory::ListTokens() {
  std::lock_guard lock(mutex_);
  auto query = db_.Prepare("SELECT id, user_name, label, created_at FROM api_tokens ORDER BY id");
  if (!query.ok()) return query.status();
  std::vector<ApiToken> tokens;
  while (true) {
    auto row = query->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    tokens.push_back({query->ColumnInt(0), query->ColumnText(1), query->ColumnText(2),
                      Timestamp{std::chrono::seconds{query->ColumnInt(3)}}});
  }
  return tokens;
}

Status UserDirectory::RevokeToken(std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM api_tokens WHERE id = ?");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, id);
  VIGIE_RETURN_IF_ERROR(remove->Run());
  if (db_.Changes() == 0) return NotFound("no API token with id " + std::to_string(id));
  return Status::Ok();
}

}  // namespace vigie::collector
