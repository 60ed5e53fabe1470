#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "tools/loadgen/fleet.h"

namespace vigie::loadgen {

struct LoadOptions {
  std::string collector;  // HOST:PORT
  bool insecure = false;
  std::string ca_file;
  std::string token;
  std::size_t agents = 100;
  std::chrono::seconds duration{10};
  // Reports sent per second, retries included; 0: as fast as the collector answers.
  double rate = 0;
  // Calls in flight at once.
  std::size_t concurrency = 64;
  // Every agent arrives at once with `spooled` reports and sends only those.
  bool storm = false;
  std::size_t spooled = 3;
  // Connections the agents share (an agent always uses the same one).
  std::size_t channels = 16;
  // Host ids are PREFIX-N, so that runs against one database can be kept apart or merged.
  std::string host_prefix = "loadgen";
  // After `duration` (or in a storm), how long unacknowledged reports keep being retried.
  std::chrono::seconds drain_timeout{60};
  std::chrono::seconds call_timeout{30};
};

struct LoadResult {
  std::size_t agents = 0;
  double seconds = 0;             // the measured window: `duration`, or the whole storm
  double reports_per_second = 0;  // reports acknowledged within the window, per second
  std::uint64_t sent = 0;         // calls made, retries included
  std::uint64_t acknowledged = 0;
  std::uint64_t duplicates = 0;   // acknowledged as already stored (a retry after a lost answer)
  std::uint64_t refused = 0;      // refused for good (INVALID_ARGUMENT...): never retried
  std::uint64_t undelivered = 0;  // still unacknowledged when the drain timed out
  // Acknowledgement latency of successful calls, in milliseconds.
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  // Failed calls by gRPC status code name.
  std::map<std::string, std::uint64_t> errors;
  std::vector<std::string> acknowledged_ids;
};

// Enrolls `options.agents` simulated agents with the token, then sends their reports (see
// LoadOptions) and measures. Each agent keeps its unacknowledged reports, oldest first, and sends
// them again after a failure (after the collector's vigie-retry-after when it gives one), as the
// real agent's spool does: every report is eventually delivered unless the drain times out.
Result<LoadResult> RunLoad(const Fleet& fleet, const LoadOptions& options);

}  // namespace vigie::loadgen
