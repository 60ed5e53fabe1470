#include "collector/agent_registry.h"

#include <openssl/crypto.h>

#include "collector/store.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie::collector {
namespace {

// Tokens say what they are, so that one pasted into the wrong place is recognised.
constexpr std::string_view kTokenPrefix = "vigie-enroll-";
constexpr std::size_t kPrefixShown = kTokenPrefix.size() + 6;

std::int64_t Seconds(Timestamp time) { return time.time_since_epoch().count(); }
Timestamp FromSeconds(std::int64_t seconds) { return Timestamp(std::chrono::seconds(seconds)); }

std::optional<std::int64_t> OptionalInt(const sqlite::Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return row.ColumnInt(column);
}

constexpr std::string_view kTokenColumns =
    "id, prefix, ministry, org_unit, created_at, created_by, expires_at, max_uses, uses, "
    "revoked_at, revoked_by";

TokenRecord TokenOf(const sqlite::Statement& row) {
  TokenRecord token;
  token.id = row.ColumnInt(0);
  token.prefix = row.ColumnText(1);
  token.ministry = row.ColumnText(2);
  token.org_unit = row.ColumnText(3);
  token.created_at = FromSeconds(row.ColumnInt(4));
  token.created_by = row.ColumnText(5);
  if (auto at = OptionalInt(row, 6)) token.expires_at = FromSeconds(*at);
  token.max_uses = OptionalInt(row, 7);
  token.uses = row.ColumnInt(8);
  if (auto at = OptionalInt(row, 9)) token.revoked_at = FromSeconds(*at);
  token.revoked_by = row.ColumnText(10);
  return token;
}

std::string Day(Timestamp time) {
  return FormatIsoDate(std::chrono::floor<std::chrono::days>(time));
}

// Why `token` cannot enroll anyone at `now`, or OK.
Status Usable(const TokenRecord& token, Timestamp now) {
  const std::string name = "enrollment token " + token.prefix + "…";
  if (token.revoked_at) {
    return PermissionDenied(name + " was revoked on " + Day(*token.revoked_at) +
                            ": ask the administrator for a new one");
  }
  if (token.expires_at && *token.expires_at <= now) {
    return PermissionDenied(name + " expired on " + Day(*token.expires_at) +
                            ": ask the administrator for a new one");
  }
  if (token.max_uses && token.uses >= *token.max_uses) {
    return PermissionDenied(name + " has been used " + std::to_string(token.uses) +
                            " time(s), its limit: ask the administrator for a new one");
  }
  return Status::Ok();
}

bool SameHash(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<AgentRegistry> AgentRegistry::Open(const std::string& path) {
  auto db = sqlite::Database::Open(path, {.create = false}, StoreMigrations());
  if (!db.ok()) return db.status();
  return AgentRegistry(std::move(db).value());
}

Result<IssuedToken> AgentRegistry::CreateToken(const TokenRequest& request,
                                               const std::string& actor, Timestamp now) {
  auto secret = RandomHex(24);
  if (!secret.ok()) return secret.status();
  IssuedToken issued;
  issued.token = std::string(kTokenPrefix) + *secret;
  TokenRecord& record = issued.record;
  record.prefix = issued.token.substr(0, kPrefixShown);
  record.ministry = request.ministry;
  record.org_unit = request.org_unit;
  record.created_at = now;
  record.created_by = actor;
  if (request.expires_in_days) {
    record.expires_at = now + std::chrono::days(*request.expires_in_days);
  }
  record.max_uses = request.max_uses;

  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare(
      "INSERT INTO enrollment_tokens (token_hash, prefix, ministry, org_unit, created_at, "
      "created_by, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, Sha256Hex(issued.token)).Bind(2, record.prefix).Bind(3, record.ministry);
  if (record.org_unit.empty()) {
    insert->BindNull(4);
  } else {
    insert->Bind(4, record.org_unit);
  }
  insert->Bind(5, Seconds(now)).Bind(6, actor);
  if (record.expires_at) {
    insert->Bind(7, Seconds(*record.expires_at));
  } else {
    insert->BindNull(7);
  }
  if (record.max_uses) {
    insert->Bind(8, *record.max_uses);
  } else {
    insert->BindNull(8);
  }
  VIGIE_RETURN_IF_ERROR(insert->Run());
  record.id = db_.LastInsertRowId();
  return issued;
}

Result<std::vector<TokenRecord>> AgentRegistry::ListTokens(const std::string& ministry) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare("SELECT " + std::string(kTokenColumns) +
                            " FROM enrollment_tokens WHERE ?1 = '' OR ministry = ?1 ORDER BY id");
  if (!select.ok()) return select.status();
  select->Bind(1, ministry);
  std::vector<TokenRecord> tokens;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    tokens.push_back(TokenOf(*select));
  }
  return tokens;
}

Status AgentRegistry::RevokeToken(std::int64_t id, const std::string& actor, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare("SELECT revoked_at FROM enrollment_tokens WHERE id = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, id);
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no enrollment token number " + std::to_string(id));
  if (!select->ColumnIsNull(0)) {
    return FailedPrecondition("enrollment token " + std::to_string(id) + " is already revoked");
  }
  auto update =
      db_.Prepare("UPDATE enrollment_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?");
  if (!update.ok()) return update.status();
  update->Bind(1, Seconds(now)).Bind(2, actor).Bind(3, id);
  return update->Run();
}

Result<Enrollment> AgentRegistry::Enroll(const std::string& token, const std::string& host_key,
                                         const std::string& hostname, Timestamp now) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::Begin(db_);
  if (!transaction.ok()) return transaction.status();
  auto select = db_.Prepare("SELECT " + std::string(kTokenColumns) +
                            " FROM enrollment_tokens WHERE token_hash = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, Sha256Hex(token));
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("unknown enrollment token");
  const TokenRecord record = TokenOf(*select);
  VIGIE_RETURN_IF_ERROR(Usable(record, now));

  auto secret = RandomHex(32);
  if (!secret.ok()) return secret.status();
  Enrollment enrollment;
  enrollment.secret = *secret;
  enrollment.agent.host_key = host_key;
  enrollment.agent.ministry = record.ministry;
  enrollment.agent.org_unit = record.org_unit;

  auto existing = db_.Prepare("SELECT agent_id FROM agents WHERE host_key = ?");
  if (!existing.ok()) return existing.status();
  existing->Bind(1, host_key);
  auto known = existing->Step();
  if (!known.ok()) return known.status();
  if (*known) {
    enrollment.reenrolled = true;
    enrollment.agent.agent_id = existing->ColumnText(0);
    auto update = db_.Prepare(
        "UPDATE agents SET secret_hash = ?, hostname = ?, ministry = ?, org_unit = ?, "
        "token_id = ?, last_enrolled = ?, enrollments = enrollments + 1, revoked_at = NULL, "
        "revoked_by = NULL WHERE host_key = ?");
    if (!update.ok()) return update.status();
    update->Bind(1, Sha256Hex(*secret)).Bind(2, hostname).Bind(3, record.ministry);
    if (record.org_unit.empty()) {
      update->BindNull(4);
    } else {
      update->Bind(4, record.org_unit);
    }
    update->Bind(5, record.id).Bind(6, Seconds(now)).Bind(7, host_key);
    VIGIE_RETURN_IF_ERROR(update->Run());
  } else {
    auto agent_id = RandomUuid();
    if (!agent_id.ok()) return agent_id.status();
    enrollment.agent.agent_id = *agent_id;
    auto insert = db_.Prepare(
        "INSERT INTO agents (agent_id, secret_hash, host_key, hostname, ministry, org_unit, "
        "token_id, enrolled_at, last_enrolled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(1, *agent_id).Bind(2, Sha256Hex(*secret)).Bind(3, host_key).Bind(4, hostname);
    insert->Bind(5, record.ministry);
    if (record.org_unit.empty()) {
      insert->BindNull(6);
    } else {
      insert->Bind(6, record.org_unit);
    }
    insert->Bind(7, record.id).Bind(8, Seconds(now)).Bind(9, Seconds(now));
    VIGIE_RETURN_IF_ERROR(insert->Run());
  }
  auto use = db_.Prepare("UPDATE enrollment_tokens SET uses = uses + 1 WHERE id = ?");
  if (!use.ok()) return use.status();
  use->Bind(1, record.id);
  VIGIE_RETURN_IF_ERROR(use->Run());
  VIGIE_RETURN_IF_ERROR(transaction->Commit());
  return enrollment;
}

Result<AgentRecord> AgentRegistry::Authenticate(const std::string& agent_id,
                                                const std::string& secret) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      "SELECT secret_hash, host_key, ministry, org_unit, revoked_at FROM agents "
      "WHERE agent_id = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, agent_id);
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found || !SameHash(select->ColumnText(0), Sha256Hex(secret))) {
    return NotFound("unknown agent " + agent_id +
                    " or wrong secret: enroll again (vigie-agent enroll --token ...)");
  }
  // Said only to the holder of the secret, in French: the DSI reads it in the agent's log.
  if (!select->ColumnIsNull(4)) {
    return NotFound(
        "l'agent " + agent_id + " a été révoqué le " +
        FormatFrenchDate(std::chrono::floor<std::chrono::days>(FromSeconds(select->ColumnInt(4)))) +
        " : ses rapports sont refusés et restent en attente sur le poste. Pour qu'il "
        "rapporte à nouveau, réenrôlez ce poste avec un nouveau jeton "
        "(vigie-agent enroll --token JETON)");
  }
  AgentRecord agent;
  agent.agent_id = agent_id;
  agent.host_key = select->ColumnText(1);
  agent.ministry = select->ColumnText(2);
  agent.org_unit = select->ColumnText(3);
  return agent;
}

Result<std::vector<AgentListing>> AgentRegistry::ListAgents(const std::string& ministry) {
  std::lock_guard lock(mutex_);
  // The latest report's payload is read for its AgentHealth only.
  auto select = db_.Prepare(
      "SELECT a.agent_id, a.ministry, a.org_unit, a.hostname, a.enrolled_at, a.last_enrolled, "
      "h.last_seen, a.revoked_at, a.revoked_by, r.payload FROM agents a "
      "LEFT JOIN hosts h ON h.host_key = a.host_key "
      "LEFT JOIN reports r ON r.id = h.latest_report "
      "WHERE ?1 = '' OR a.ministry = ?1 ORDER BY a.ministry, a.hostname, a.agent_id");
  if (!select.ok()) return select.status();
  select->Bind(1, ministry);
  std::vector<AgentListing> agents;
  v1::InventoryReport report;
  while (true) {
    auto row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AgentListing& agent = agents.emplace_back();
    agent.agent_id = select->ColumnText(0);
    agent.ministry = select->ColumnText(1);
    agent.org_unit = select->ColumnText(2);
    agent.hostname = select->ColumnText(3);
    agent.enrolled_at = FromSeconds(select->ColumnInt(4));
    agent.last_enrolled = FromSeconds(select->ColumnInt(5));
    if (auto at = OptionalInt(*select, 6)) agent.last_report_at = FromSeconds(*at);
    if (auto at = OptionalInt(*select, 7)) agent.revoked_at = FromSeconds(*at);
    agent.revoked_by = select->ColumnText(8);
    if (select->ColumnIsNull(9)) continue;
    const std::string payload = select->ColumnText(9);
    if (!report.ParseFromString(payload)) {
      agent.health_unreadable = true;
    } else if (report.has_agent_health()) {
      agent.spool_dropped = report.agent_health().spool_dropped();
      agent.spool_write_failures = report.agent_health().spool_write_failures();
    }
  }
  return agents;
}

Status AgentRegistry::RevokeAgent(const std::string& agent_id, const std::string& actor,
                                  Timestamp now) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare("SELECT revoked_at FROM agents WHERE agent_id = ?");
  if (!select.ok()) return select.status();
  select->Bind(1, agent_id);
  auto found = select->Step();
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("aucun agent " + agent_id + " (voir vigie-collector agent list)");
  if (!select->ColumnIsNull(0)) {
    return FailedPrecondition("l'agent " + agent_id + " est déjà révoqué");
  }
  auto update = db_.Prepare("UPDATE agents SET revoked_at = ?, revoked_by = ? WHERE agent_id = ?");
  if (!update.ok()) return update.status();
  update->Bind(1, Seconds(now)).Bind(2, actor).Bind(3, agent_id);
  return update->Run();
}

}  // namespace vigie::collector
