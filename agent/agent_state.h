#pragma once

#include <optional>
#include <string>

#include "common/status.h"

namespace vigie::agent {

// Where a Linux agent keeps its identity, secret, pseudonym key and spool.
inline constexpr char kDefaultStateDir[] = "/var/lib/vigie-agent";

// What enrollment gave this agent (identity.toml in the state directory).
struct AgentIdentity {
  std::string agent_id;
  std::string secret;    // authenticates every report; owner-only on disk
  std::string ministry;  // from the enrollment token, stated in every report
  std::string org_unit;  // from the enrollment token; empty for the whole ministry
  std::string collector;
};

// The agent's state directory. Files holding secrets are written owner-only (0600) and
// atomically (a crash leaves the old file or the new one), in a directory created 0700.
class AgentState {
 public:
  explicit AgentState(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }

  // None when the agent has not enrolled yet.
  Result<std::optional<AgentIdentity>> LoadIdentity() const;
  Status SaveIdentity(const AgentIdentity& identity) const;

  // The deployment's key when configured (`configured`, 64 hex digits), else a random key made
  // on first use and kept in pseudonym.key, so that pseudonyms are stable across scans.
  Result<std::string> PseudonymKey(const std::string& configured) const;

  // Creates the directory (0700) when missing.
  Status EnsureDir() const;

 private:
  Status WriteSecretFile(const std::string& name, const std::string& content) const;

  std::string dir_;
};

}  // namespace vigie::agent
