#pragma once

#include <cstdint>
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
  std::optional<std::string> log_target;
  std::optional<std::string> pseudonym_key;
  // The service's timing and spool (`run`), in seconds and counts.
  std::optional<std::int64_t> first_scan_delay;
  std::optional<std::int64_t> scan_period;
  std::optional<std::int64_t> scan_budget;
  std::optional<std::int64_t> retry_initial;
  std::optional<std::int64_t> retry_max;
  std::optional<std::int64_t> spool_max_reports;
  std::optional<std::int64_t> spool_max_mib;
};

// An integer key's accepted values; the same bounds apply to the flag.
struct IntegerRange {
  std::int64_t min;
  std::int64_t max;
};
inline constexpr IntegerRange kTimeoutRange{1, 3600};
inline constexpr IntegerRange kFirstScanDelayRange{0, 86400};
inline constexpr IntegerRange kScanPeriodRange{1, 2678400};
inline constexpr IntegerRange kScanBudgetRange{1, 86400};
inline constexpr IntegerRange kRetryRange{1, 86400};
inline constexpr IntegerRange kSpoolMaxReportsRange{1, 1000000};
inline constexpr IntegerRange kSpoolMaxMibRange{1, 4096};

// Reads `path`. Unknown keys, wrong types and values out of range are refused with the file,
// line and key.
Result<AgentConfig> LoadAgentConfig(const std::string& path);

}  // namespace vigie::agent
