#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/model.h"
#include "common/sqlite.h"
#include "common/status.h"

namespace vigie::collector {

struct TokenRequest {
  std::string ministry;
  std::string org_unit;                  // empty: the whole ministry
  std::optional<int> expires_in_days;    // none: never expires
  std::optional<std::int64_t> max_uses;  // none: unlimited
};

struct TokenRecord {
  std::int64_t id = 0;
  std::string prefix;  // the token's first characters, enough to recognise it
  std::string ministry;
  std::string org_unit;
  Timestamp created_at;
  std::string created_by;
  std::optional<Timestamp> expires_at;
  std::optional<std::int64_t> max_uses;
  std::int64_t uses = 0;
  std::optional<Timestamp> revoked_at;
  std::string revoked_by;
};

// A token as created: the only time its text exists outside the administrator's hands.
struct IssuedToken {
  TokenRecord record;
  std::string token;
};

// What an enrolled agent is allowed to speak for.
struct AgentRecord {
  std::string agent_id;
  std::string host_key;
  std::string ministry;
  std::string org_unit;
};

// An enrolled agent as `vigie-collector agent list` shows it.
struct AgentListing {
  std::string agent_id;
  std::string ministry;
  std::string org_unit;
  std::string hostname;  // as the agent gave it at its latest enrollment
  Timestamp enrolled_at;
  Timestamp last_enrolled;
  std::optional<Timestamp> last_report_at;  // collector clock; none before the first report
  std::optional<Timestamp> revoked_at;
  std::string revoked_by;
  // From the agent's latest report (AgentHealth), when it said: reports its spool dropped and
  // reports it could not spool.
  std::optional<std::uint64_t> spool_dropped;
  std::optional<std::uint64_t> spool_write_failures;
  // The latest report's stored payload did not parse (a damaged database): the agent is listed,
  // its health is not known.
  bool health_unreadable = false;
};

struct Enrollment {
  AgentRecord agent;
  std::string secret;  // returned once to the agent, kept only as a hash
  bool reenrolled = false;
};

// Enrollment tokens and enrolled agents, in the collector's database (its own connection, so
// that the store's lock is not held while agents authenticate).
//
// Errors, which the gRPC service maps to codes: NOT_FOUND for an unknown token or agent (or a
// wrong secret: the two are not told apart), PERMISSION_DENIED for a revoked, expired or used-up
// token, UNAVAILABLE when the database cannot be written.
class AgentRegistry {
 public:
  // Opens the database the Store created (its migrations include this registry's tables).
  static Result<AgentRegistry> Open(const std::string& path);

  AgentRegistry(AgentRegistry&& other) noexcept : db_(std::move(other.db_)) {}

  Result<IssuedToken> CreateToken(const TokenRequest& request, const std::string& actor,
                                  Timestamp now);
  // Tokens of one ministry, or (empty) all, by id.
  Result<std::vector<TokenRecord>> ListTokens(const std::string& ministry);
  // NOT_FOUND for an unknown id, FAILED_PRECONDITION when already revoked.
  Status RevokeToken(std::int64_t id, const std::string& actor, Timestamp now);

  // Enrolls the host `host_key` with `token`: a new agent, or the host's existing agent with a
  // new secret (the old one stops working) and the token's ministry and org unit.
  Result<Enrollment> Enroll(const std::string& token, const std::string& host_key,
                            const std::string& hostname, Timestamp now);

  // The agent whose id and secret these are. A revoked agent is NOT_FOUND too (its reports
  // stay in its spool until it enrolls again), with a message saying so to its own secret only.
  Result<AgentRecord> Authenticate(const std::string& agent_id, const std::string& secret);

  // Agents of one ministry, or (empty) all, by ministry and host name.
  Result<std::vector<AgentListing>> ListAgents(const std::string& ministry);
  // Its secret stops working at once; the host and its history stay. Enrolling the host again
  // with a token reinstates it. NOT_FOUND for an unknown id, FAILED_PRECONDITION when already
  // revoked.
  Status RevokeAgent(const std::string& agent_id, const std::string& actor, Timestamp now);

 private:
  explicit AgentRegistry(sqlite::Database db) : db_(std::move(db)) {}

  std::mutex mutex_;
  sqlite::Database db_;
};

}  // namespace vigie::collector
