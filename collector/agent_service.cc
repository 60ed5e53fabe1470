#include "collector/agent_service.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "collector/host_evaluator.h"
#include "collector/report_validator.h"
#include "common/enums.h"
#include "common/grpc_status.h"
#include "common/wire.h"

namespace vigie::collector {
namespace {

std::string Metadata(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// Registry errors as gRPC statuses; storage problems say "retry later" without details.
grpc::Status RegistryError(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return {grpc::StatusCode::UNAUTHENTICATED, status.message()};
    case StatusCode::kPermissionDenied:
      return {grpc::StatusCode::PERMISSION_DENIED, status.message()};
    default:
      spdlog::error("agent registry: {}", status.message());
      return {grpc::StatusCode::UNAVAILABLE,
              "the collector cannot read its database right now; retry later"};
  }
}

// What protobuf last said on this thread: why a parse failed (it names the field of an invalid
// UTF-8 string, which proto3 refuses while decoding).
thread_local std::string last_protobuf_message;

void RouteProtobufLogs() {
  static std::once_flag once;
  std::call_once(once, [] {
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char*, int, const std::string& message) {
          last_protobuf_message = message;
          spdlog::debug("protobuf: {}", message);
        });
  });
}

// Decodes a request with a nesting limit, so that hostile nesting is refused early and clearly.
grpc::Status Decode(const grpc::ByteBuffer& request, v1::ReportRequest* decoded) {
  grpc::ByteBuffer bytes(request);
  grpc::ProtoBufferReader reader(&bytes);
  google::protobuf::io::CodedInputStream stream(&reader);
  stream.SetRecursionLimit(kMaxReportNesting);
  last_protobuf_message.clear();
  if (!decoded->ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) {
    std::string problem = "malformed protobuf, or nested deeper than " +
                          std::to_string(kMaxReportNesting) + " levels";
    if (last_protobuf_message.find("invalid UTF-8") != std::string::npos) {
      problem = last_protobuf_message.substr(0, last_protobuf_message.find(" when parsing"));
    }
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "request: not a valid vigie.v1.ReportRequest (" + problem + ")"};
  }
  return grpc::Status::OK;
}

bool IsAuthenticationFailure(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

}  // namespace

void ConfigureAgentServer(grpc::ServerBuilder& builder) {
  builder.SetMaxReceiveMessageSize(kMaxReportRequestBytes);
  // With HTTP/2 flow control, this bounds what one connection can make the collector hold.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 32);
}

AgentServiceImpl::AgentServiceImpl(AgentRegistry& registry, IngestWriter& writer,
                                   const JudgingRules& rules, Clock clock,
                                   FailureLimiter::Options limits)
    : registry_(registry),
      writer_(writer),
      rules_(rules),
      clock_(std::move(clock)),
      failures_(limits) {
  RouteProtobufLogs();
  // Method 1 of AgentService is Report: raw bytes in (as the generated
  // WithRawCallbackMethod_Report), a typed answer out.
  MarkMethodRawCallback(
      1, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, v1::ReportResponse>(
             [this](grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                    v1::ReportResponse* response) {
               return ReceiveReport(context, request, response);
             }));
}

grpc::Status AgentServiceImpl::CheckRate(grpc::ServerContextBase* context,
                                         const std::string& peer) {
  const auto wait = failures_.Blocked(peer, FailureLimiter::Clock::now());
  if (!wait) return grpc::Status::OK;
  context->AddTrailingMetadata(kRetryAfterMetadata, std::to_string(wait->count()));
  return {grpc::StatusCode::RESOURCE_EXHAUSTED,
          "too many failed attempts from this address; retry in " + std::to_string(wait->count()) +
              " s"};
}

grpc::Status AgentServiceImpl::Enroll(grpc::ServerContext* context,
                                      const v1::EnrollRequest* request,
                                      v1::EnrollResponse* response) {
  const std::string peer = PeerAddress(context->peer());
  if (grpc::Status limited = CheckRate(context, peer); !limited.ok()) return limited;
  if (request->token().empty()) return {grpc::StatusCode::INVALID_ARGUMENT, "token: required"};
  if (request->host().host_id().empty() || request->host().host_id().size() > 128) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "host.host_id: required, at most 128 bytes"};
  }
  if (request->host().hostname().size() > 255) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "host.hostname: at most 255 bytes"};
  }
  auto enrollment = registry_.Enroll(request->token(), request->host().host_id(),
                                     request->host().hostname(), clock_());
  if (!enrollment.ok()) {
    const grpc::Status status = RegistryError(enrollment.status());
    if (IsAuthenticationFailure(status)) {
      failures_.RecordFailure(peer, FailureLimiter::Clock::now());
      spdlog::warn("refused an enrollment from {}: {}", context->peer(), status.error_message());
    }
    return status;
  }
  spdlog::info("{} agent {} for host {} ({}) in {}{}",
               enrollment->reenrolled ? "re-enrolled" : "enrolled", enrollment->agent.agent_id,
               request->host().host_id(), request->host().hostname(), enrollment->agent.ministry,
               enrollment->agent.org_unit.empty() ? "" : "/" + enrollment->agent.org_unit);
  response->set_agent_id(enrollment->agent.agent_id);
  response->set_agent_secret(enrollment->secret);
  response->set_ministry(enrollment->agent.ministry);
  response->set_org_unit(enrollment->agent.org_unit);
  return grpc::Status::OK;
}

Result<AgentRecord> AgentServiceImpl::AuthenticateAgent(const grpc::ServerContextBase& context) {
  const std::string agent_id = Metadata(context, kAgentIdMetadata);
  const std::string secret = Metadata(context, kAgentSecretMetadata);
  if (agent_id.empty() || secret.empty()) {
    return NotFound(
        "this collector accepts reports from enrolled agents only: enroll first "
        "(vigie-agent enroll --token ...)");
  }
  return registry_.Authenticate(agent_id, secret);
}

grpc::Status AgentServiceImpl::Admit(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer& request, PendingReport* pending) {
  const Timestamp now = clock_();
  const std::string peer = PeerAddress(context->peer());
  if (grpc::Status limited = CheckRate(context, peer); !limited.ok()) return limited;
  auto agent = AuthenticateAgent(*context);
  if (!agent.ok()) {
    const grpc::Status status = RegistryError(agent.status());
    if (IsAuthenticationFailure(status)) {
      failures_.RecordFailure(peer, FailureLimiter::Clock::now());
      spdlog::warn("refused a report from {}: {}", context->peer(), status.error_message());
    }
    return status;
  }
  v1::ReportRequest decoded;
  if (grpc::Status status = Decode(request, &decoded); !status.ok()) {
    spdlog::warn("refused a report from {}: {}", context->peer(), status.error_message());
    return status;
  }
  if (!decoded.has_report()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "report: required"};
  }
  v1::InventoryReport& message = *decoded.mutable_report();
  // Fields this collector does not know are not kept: what is stored is what was validated.
  message.DiscardUnknownFields();
  // The ministry is the token's: a report stating another one is refused whole.
  if (message.ministry().empty()) message.set_ministry(agent->ministry);
  if (message.ministry() != agent->ministry) {
    spdlog::warn("agent {} ({}) sent a report for {}: refused", agent->agent_id, agent->ministry,
                 message.ministry());
    return {grpc::StatusCode::PERMISSION_DENIED, "report.ministry: this agent is enrolled in " +
                                                     agent->ministry + " and cannot report for " +
                                                     message.ministry()};
  }
  if (Status status = ValidateReport(message, *rules_.ministries, now); !status.ok()) {
    spdlog::warn("refused a report from {}: {}", context->peer(), status.message());
    return ToGrpcStatus(status);
  }
  pending->report = FromProto(message);
  pending->payload = message.SerializeAsString();
  pending->received = now;
  pending->enrolled_org_unit = agent->org_unit;
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* AgentServiceImpl::ReceiveReport(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          v1::ReportResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  PendingReport pending;
  if (grpc::Status refused = Admit(context, *request, &pending); !refused.ok()) {
    reactor->Finish(refused);
    return reactor;
  }
  const std::string report_id = pending.report.report_id;
  const std::string host_id = pending.report.host.host_id;
  const std::chrono::seconds retry_after_failure = writer_.retry_after_failure();
  const auto full =
      writer_.Submit(std::move(pending), [context, reactor, response, report_id, host_id,
                                          retry_after_failure](Result<IngestOutcome> outcome) {
        if (!outcome.ok()) {
          // Whatever the storage problem, the agent keeps the report and retries later.
          context->AddTrailingMetadata(kRetryAfterMetadata,
                                       std::to_string(retry_after_failure.count()));
          reactor->Finish({grpc::StatusCode::UNAVAILABLE,
                           "the collector cannot store reports right now; retry later"});
          return;
        }
        spdlog::debug("report {} from host {}: {}{}", report_id, host_id,
                      EnumName(outcome->verdict.status), outcome->duplicate ? " (duplicate)" : "");
        response->set_report_id(report_id);
        response->set_duplicate(outcome->duplicate);
        *response->mutable_verdict() = ToProto(outcome->verdict);
        reactor->Finish(grpc::Status::OK);
      });
  if (full) {
    context->AddTrailingMetadata(kRetryAfterMetadata, std::to_string(full->count()));
    reactor->Finish({grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "the collector has too many reports to write; retry in " +
                         std::to_string(full->count()) + " s"});
  }
  return reactor;
}

}  // namespace vigie::collector
