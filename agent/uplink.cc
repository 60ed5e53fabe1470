#include "agent/uplink.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <charconv>

#include "agent/uplink_tls.h"
#include "common/grpc_logging.h"
#include "common/wire.h"

namespace vigie::agent {
namespace {

// The collector's "come back in N seconds", when it gave one.
std::optional<std::chrono::seconds> RetryAfter(const grpc::ClientContext& context) {
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto it = trailers.find("vigie-retry-after");
  if (it == trailers.end()) return std::nullopt;
  long seconds = 0;
  const auto [end, error] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), seconds);
  if (error != std::errc() || end != it->second.data() + it->second.size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

// Codes that mean "this report will never be accepted": malformed, or stating a ministry the
// agent is no longer enrolled in. Every other failure may pass later: "not now", "not from these
// credentials" (UNAUTHENTICATED: the agent may be re-enrolled and the report still count), "unknown
// ministry" (NOT_FOUND: the operator may declare it).
bool IsRefusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::PERMISSION_DENIED;
}

// The light agent spools the report's JSON (protobuf's JSON mapping); spools written before it
// hold the binary message, which never starts with '{' (that byte would be a field 15 group).
bool ParsePayload(const std::string& payload, v1::InventoryReport* report) {
  if (!payload.empty() && payload.front() == '{') {
    return google::protobuf::util::JsonStringToMessage(payload, report).ok();
  }
  return report->ParseFromString(payload);
}

}  // namespace

Result<std::unique_ptr<Uplink>> Uplink::Connect(const UplinkOptions& options) {
  RouteGrpcLogsToSpdlog();
  auto credentials = ChannelCredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  auto stub = v1::AgentService::NewStub(grpc::CreateChannel(options.collector, *credentials));
  return std::unique_ptr<Uplink>(new Uplink(options, std::move(stub)));
}

SendAttempt Uplink::Send(const std::string& payload, const std::string& agent_id,
                         const std::string& secret) {
  SendAttempt attempt;
  v1::ReportRequest request;
  if (!ParsePayload(payload, request.mutable_report())) {
    attempt.status = DataLoss("the spooled report does not parse as an InventoryReport");
    attempt.refused = true;
    return attempt;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  context.AddMetadata("vigie-agent-id", agent_id);
  context.AddMetadata("vigie-agent-secret", secret);
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      attempt.status = Unavailable("the agent is stopping");
      return attempt;
    }
    call_ = &context;
  }
  v1::ReportResponse response;
  const grpc::Status status = stub_->Report(&context, request, &response);
  {
    std::lock_guard lock(mutex_);
    call_ = nullptr;
  }
  if (!status.ok()) {
    attempt.status = FailureOf(status, options_)
                         .Annotate("collector " + options_.collector + " refused the report");
    attempt.refused = IsRefusal(status.error_code());
    attempt.retry_after = RetryAfter(context);
    return attempt;
  }
  attempt.delivery.duplicate = response.duplicate();
  attempt.delivery.verdict = FromProto(response.verdict());
  return attempt;
}

void Uplink::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  if (call_ != nullptr) call_->TryCancel();
}

}  // namespace vigie::agent
