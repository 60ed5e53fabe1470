#include "agent/enrollment.h"

#include <grpcpp/grpcpp.h>

#include "agent/uplink_tls.h"
#include "common/grpc_logging.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::agent {

Result<AgentIdentity> Enroll(const std::string& token, const HostIdentity& host,
                             const UplinkOptions& options) {
  RouteGrpcLogsToSpdlog();
  auto credentials = ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  auto stub = v1::AgentService::NewStub(grpc::CreateChannel(options.collector, *credentials));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options.timeout);
  v1::EnrollRequest request;
  request.set_token(token);
  request.mutable_host()->set_host_id(host.host_id);
  request.mutable_host()->set_hostname(host.hostname);
  request.mutable_host()->set_os_name(host.os_name);
  v1::EnrollResponse response;
  const grpc::Status status = stub->Enroll(&context, request, &response);
  if (!status.ok()) {
    return FailureOf(status, options)
        .Annotate("collector " + options.collector + " refused the enrollment");
  }
  AgentIdentity identity;
  identity.agent_id = response.agent_id();
  identity.secret = response.agent_secret();
  identity.ministry = response.ministry();
  identity.org_unit = response.org_unit();
  identity.collector = options.collector;
  return identity;
}

}  // namespace vigie::agent
