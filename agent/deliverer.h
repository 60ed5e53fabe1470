#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "agent/spool.h"
#include "agent/uplink_options.h"
#include "common/status.h"

namespace vigie::agent {

// Delivery retries: exponential from `initial`, capped at `max`, with jitter (Backoff).
struct RetrySettings {
  std::chrono::seconds initial{30};
  std::chrono::seconds max{std::chrono::hours(1)};
};

// What one delivery pass achieved.
struct DeliveryOutcome {
  std::int64_t delivered = 0;
  // Reports the collector refused for good, dropped from the spool.
  std::int64_t refused = 0;
  // The last acknowledged report (id and the collector's answer), if any.
  std::optional<std::pair<std::string, Delivery>> last_delivery;
  // The report given as `unspooled` was acknowledged or refused: it can be forgotten.
  bool unspooled_settled = false;
  // Why the pass stopped with reports left, or the last refusal.
  Status failure;
  // Reports are left: wait this long before the next pass (the backoff, or the collector's
  // vigie-retry-after).
  std::optional<std::chrono::milliseconds> retry_in;
};

// Enrolls the agent and delivers its spool. Two implementations: InProcessDeliverer (gRPC in
// this process: the uplink executable and the Windows service) and UplinkProcess (runs
// `vigie-agent-uplink` for each pass, so that the light `vigie-agent` never maps gRPC).
class Deliverer {
 public:
  virtual ~Deliverer() = default;

  // Enrolls with the configured token and keeps the identity in the state directory.
  virtual Status Enroll() = 0;
  // Enrolls first when the agent has no identity and a token is configured, then delivers
  // `unspooled` (a report the spool could not keep) and the spool, oldest first, until it is
  // empty or a delivery fails.
  virtual DeliveryOutcome Deliver(const std::optional<SpooledReport>& unspooled) = 0;
  // From another thread: ends the pass in progress promptly; what was not acknowledged stays.
  virtual void Cancel() = 0;
};

}  // namespace vigie::agent
