#include "agent/uplink.h"

#include <grpcpp/grpcpp.h>

#include "agent/uplink_tls.h"
#include "common/grpc_logging.h"
#include "common/grpc_status.h"
#include "common/wire.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::agent {

Status CheckUplinkOptions(const UplinkOptions& options) {
  return ChannelCredentialsFor(options).status();
}

Result<Delivery> SendReport(const InventoryReport& report, const std::string& agent_id,
                            const std::string& secret, const UplinkOptions& options) {
  RouteGrpcLogsToSpdlog();
  auto credentials = ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  auto channel = grpc::CreateChannel(options.collector, *credentials);
  auto stub = v1::AgentService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options.timeout);
  context.AddMetadata("vigie-agent-id", agent_id);
  context.AddMetadata("vigie-agent-secret", secret);
  v1::ReportRequest request;
  *request.mutable_report() = ToProto(report);
  v1::ReportResponse response;
  const grpc::Status status = stub->Report(&context, request, &response);
  if (!status.ok()) {
    return FailureOf(status, options)
        .Annotate("collector " + options.collector + " refused the report");
  }
  Delivery delivery;
  delivery.duplicate = response.duplicate();
  delivery.verdict = FromProto(response.verdict());
  return delivery;
}

}  // namespace vigie::agent
