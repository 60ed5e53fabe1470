#pragma once

#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::loadgen {

// AgentService doing nothing: any enrollment succeeds, any report is acknowledged with the
// verdict it carries, so that the answer is about as large as the collector's. The benchmark's
// baseline: what gRPC alone costs for the same messages on the same machine.
class NullAgentService final : public v1::AgentService::CallbackService {
 public:
  grpc::ServerUnaryReactor* Enroll(grpc::CallbackServerContext* context,
                                   const v1::EnrollRequest* request,
                                   v1::EnrollResponse* response) override;
  grpc::ServerUnaryReactor* Report(grpc::CallbackServerContext* context,
                                   const v1::ReportRequest* request,
                                   v1::ReportResponse* response) override;
};

}  // namespace vigie::loadgen
