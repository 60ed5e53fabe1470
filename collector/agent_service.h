#pragma once

#include <functional>

#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "common/ministries.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::collector {

// AgentService over gRPC: validates each report, evaluates it with the doctrine and stores it.
// Nothing of an invalid report is stored.
class AgentServiceImpl final : public v1::AgentService::Service {
 public:
  using Clock = std::function<Timestamp()>;

  AgentServiceImpl(Store& store, const JudgingRules& rules, Clock clock);

  grpc::Status Enroll(grpc::ServerContext* context, const v1::EnrollRequest* request,
                      v1::EnrollResponse* response) override;
  grpc::Status Report(grpc::ServerContext* context, const v1::ReportRequest* request,
                      v1::ReportResponse* response) override;

 private:
  Store& store_;
  JudgingRules rules_;
  Clock clock_;
};

}  // namespace vigie::collector
