#pragma once

#include <string>
#include <vector>

#include "collector/agent_registry.h"
#include "common/status.h"

namespace vigie::collector {

// `vigie-collector agent revoke AGENT_ID`: the French confirmation.
Result<std::string> RevokeAgentCommand(AgentRegistry& registry, const std::string& agent_id,
                                       const std::string& actor, Timestamp now);

// `agent list`: one French line per agent, or JSON (dates RFC 3339, UTC).
std::string AgentsToText(const std::vector<AgentListing>& agents);
std::string AgentsToJson(const std::vector<AgentListing>& agents);

}  // namespace vigie::collector
