#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "agent/agent_state.h"
#include "agent/deliverer.h"
#include "agent/spool.h"
#include "agent/uplink.h"
#include "common/model.h"

namespace vigie::agent {

// Enrollment and delivery with gRPC in this process: what `vigie-agent-uplink` runs, and the
// Windows service's deliverer. The backoff state lives in the spool (Spool::Schedule), so that
// one pass goes on from the previous one's, whichever process made it.
class InProcessDeliverer final : public Deliverer {
 public:
  // `token` (may be empty) and `host` are what Enroll() sends.
  InProcessDeliverer(AgentState state, Spool& spool, UplinkOptions options, RetrySettings retry,
                     std::string token, HostIdentity host);

  Status Enroll() override;
  DeliveryOutcome Deliver(const std::optional<SpooledReport>& unspooled) override;
  void Cancel() override;

 private:
  // The channel, made on first use; null once cancelled.
  Result<Uplink*> Connected(const std::string& collector);
  // Keeps the schedule in the spool; a failure to write it only costs the backoff's memory.
  void SaveSchedule(const DeliverySchedule& schedule);

  AgentState state_;
  Spool& spool_;
  UplinkOptions options_;
  RetrySettings retry_;
  std::string token_;
  HostIdentity host_;

  std::mutex mutex_;
  std::unique_ptr<Uplink> uplink_;  // guarded by mutex_
  std::atomic<bool> cancelled_{false};
};

}  // namespace vigie::agent
