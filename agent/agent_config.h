#pragma once

#include <optional>
#include <string>

#include "common/status.h"

namespace vigie::agent {

// Where the agent's configuration is read from when --config is not given (if it exists).
inline constexpr char kDefaultConfigFile[] = "/etc/vigie/agent.toml";

// The agent's configuration file (docs/agent-configuration.md). Every key has the name of a
// flag of `enroll` and `run`, and a flag given on the command line overrides the file; only
// pseudonym-key has no flag, so that the deployment's key is not visible in process lists.
struct AgentConfig {
  std::optional<std::string> collector;
  std::optional<std::string> ca;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  std::optional<bool> insecure;
  std::optional<std::string> state_dir;
  std::optional<std::string> token;
  std::optional<std::int64_t> timeout;
  std::optional<std::string> log_level;
  std::optional<std::string> pseudonym_key;
};

// Reads `path`. Unknown keys and wrong types are refused with the file, line and key.
Result<AgentConfig> LoadAgentConfig(const std::string& path);

}  // namespace vigie::agent
