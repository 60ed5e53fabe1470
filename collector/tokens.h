#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/agent_registry.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// `vigie-collector token create`: checks the request (known ministry, well-formed org unit id,
// positive limits), creates the token and returns the French text that shows it, once.
Result<std::string> CreateTokenCommand(AgentRegistry& registry, const TokenRequest& request,
                                       const MinistryList& ministries, const std::string& actor,
                                       Timestamp now);

// `token revoke`: the French confirmation.
Result<std::string> RevokeTokenCommand(AgentRegistry& registry, std::int64_t id,
                                       const std::string& actor, Timestamp now);

// `token list`: a French table, or JSON. Tokens show only their first characters.
std::string TokensToText(const std::vector<TokenRecord>& tokens, Timestamp now);
std::string TokensToJson(const std::vector<TokenRecord>& tokens, Timestamp now);

}  // namespace vigie::collector
