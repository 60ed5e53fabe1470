#include "collector/agent_service.h"

#include <spdlog/spdlog.h>

#include "collector/host_evaluator.h"
#include "collector/report_validator.h"
#include "common/enums.h"
#include "common/grpc_status.h"
#include "common/wire.h"

namespace vigie::collector {
namespace {

std::string Metadata(const grpc::ServerContext& context, const char* key) {
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

bool IsAuthenticationFailure(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
         status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
}

}  // namespace

AgentServiceImpl::AgentServiceImpl(Store& store, AgentRegistry& registry, const JudgingRules& rules,
                                   Clock clock, FailureLimiter::Options limits)
    : store_(store),
      registry_(registry),
      rules_(rules),
      clock_(std::move(clock)),
      failures_(limits) {}

grpc::Status AgentServiceImpl::CheckRate(grpc::ServerContext* context, const std::string& peer) {
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

Result<AgentRecord> AgentServiceImpl::AuthenticateAgent(const grpc::ServerContext& context) {
  const std::string agent_id = Metadata(context, kAgentIdMetadata);
  const std::string secret = Metadata(context, kAgentSecretMetadata);
  if (agent_id.empty() || secret.empty()) {
    return NotFound(
        "this collector accepts reports from enrolled agents only: enroll first "
        "(vigie-agent enroll --token ...)");
  }
  return registry_.Authenticate(agent_id, secret);
}

grpc::Status AgentServiceImpl::Report(grpc::ServerContext* context,
                                      const v1::ReportRequest* request,
                                      v1::ReportResponse* response) {
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
  if (!request->has_report()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "report: required"};
  }
  // The ministry is the token's: a report stating another one is refused whole.
  v1::InventoryReport message = request->report();
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
  const InventoryReport report = FromProto(message);
  auto derogations = store_.DerogationsOf(report.ministry);
  if (!derogations.ok()) {
    spdlog::error("cannot read the derogations of {}: {}", report.ministry,
                  derogations.status().message());
    return {grpc::StatusCode::UNAVAILABLE,
            "the collector cannot read its database right now; retry later"};
  }
  auto placement = store_.PlacementOf(report.host.host_id);
  if (!placement.ok()) {
    spdlog::error("cannot read where host {} sits: {}", report.host.host_id,
                  placement.status().message());
    return {grpc::StatusCode::UNAVAILABLE,
            "the collector cannot read its database right now; retry later"};
  }
  // Where the host sits once stored (Store::Ingest): an operator's placement within the same
  // ministry stays, otherwise the enrollment's org unit applies.
  const bool keeps_placement =
      *placement && (*placement)->ministry == report.ministry && !(*placement)->org_unit.empty();
  const std::string org_unit = keeps_placement ? (*placement)->org_unit : agent->org_unit;
  const Verdict verdict =
      MakeHostEvaluator(rules_, Today(now))(report, *derogations, now, org_unit);
  auto outcome = store_.Ingest(report, message.SerializeAsString(), verdict, now, agent->org_unit);
  if (!outcome.ok()) {
    spdlog::error("cannot store report {}: {}", report.report_id, outcome.status().message());
    // Whatever the storage problem, the agent keeps the report and retries later.
    return {grpc::StatusCode::UNAVAILABLE,
            "the collector cannot store reports right now; retry later"};
  }
  spdlog::info("report {} from host {} ({}, agent {}): {}{}", report.report_id, report.host.host_id,
               report.ministry, agent->agent_id, EnumName(outcome->verdict.status),
               outcome->duplicate ? " (duplicate)" : "");
  response->set_report_id(report.report_id);
  response->set_duplicate(outcome->duplicate);
  *response->mutable_verdict() = ToProto(outcome->verdict);
  return grpc::Status::OK;
}

}  // namespace vigie::collector
