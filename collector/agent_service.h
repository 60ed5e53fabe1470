#pragma once

#include <functional>

#include "collector/agent_registry.h"
#include "collector/failure_limiter.h"
#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "common/ministries.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::collector {

// The gRPC metadata an agent authenticates its reports with.
inline constexpr char kAgentIdMetadata[] = "vigie-agent-id";
inline constexpr char kAgentSecretMetadata[] = "vigie-agent-secret";
// Trailing metadata: seconds the agent should wait before trying again.
inline constexpr char kRetryAfterMetadata[] = "vigie-retry-after";

// AgentService over gRPC: enrolls agents with tokens; authenticates, validates, evaluates and
// stores their reports. Nothing of a refused report is stored.
class AgentServiceImpl final : public v1::AgentService::Service {
 public:
  using Clock = std::function<Timestamp()>;

  AgentServiceImpl(Store& store, AgentRegistry& registry, const JudgingRules& rules, Clock clock,
                   FailureLimiter::Options limits = {});

  grpc::Status Enroll(grpc::ServerContext* context, const v1::EnrollRequest* request,
                      v1::EnrollResponse* response) override;
  grpc::Status Report(grpc::ServerContext* context, const v1::ReportRequest* request,
                      v1::ReportResponse* response) override;

 private:
  // RESOURCE_EXHAUSTED with a retry delay when the peer failed too often; OK otherwise.
  grpc::Status CheckRate(grpc::ServerContext* context, const std::string& peer);
  Result<AgentRecord> AuthenticateAgent(const grpc::ServerContext& context);

  Store& store_;
  AgentRegistry& registry_;
  JudgingRules rules_;
  Clock clock_;
  FailureLimiter failures_;
};

}  // namespace vigie::collector
