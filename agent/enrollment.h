#pragma once

#include <string>

#include "agent/agent_state.h"
#include "agent/uplink.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// Calls AgentService.Enroll with `token` for `host`, and returns the identity the collector
// gave. Errors carry the collector's message (revoked or expired token...).
Result<AgentIdentity> Enroll(const std::string& token, const HostIdentity& host,
                             const UplinkOptions& options);

}  // namespace vigie::agent
