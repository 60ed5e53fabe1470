#include "collector/agent_service.h"

#include <spdlog/spdlog.h>

#include "collector/host_evaluator.h"
#include "collector/report_validator.h"
#include "common/enums.h"
#include "common/grpc_status.h"
#include "common/wire.h"

namespace vigie::collector {

AgentServiceImpl::AgentServiceImpl(Store& store, const JudgingRules& rules, Clock clock)
    : store_(store), rules_(rules), clock_(std::move(clock)) {}

grpc::Status AgentServiceImpl::Enroll(grpc::ServerContext*, const v1::EnrollRequest*,
                                      v1::EnrollResponse*) {
  return {grpc::StatusCode::UNIMPLEMENTED,
          "enrollment is not available in this version of the collector"};
}

grpc::Status AgentServiceImpl::Report(grpc::ServerContext* context,
                                      const v1::ReportRequest* request,
                                      v1::ReportResponse* response) {
  const Timestamp now = clock_();
  if (!request->has_report()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "report: required"};
  }
  const v1::InventoryReport& message = request->report();
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
  const Verdict verdict = MakeHostEvaluator(rules_, Today(now))(report, *derogations, now);
  auto outcome = store_.Ingest(report, message.SerializeAsString(), verdict, now);
  if (!outcome.ok()) {
    spdlog::error("cannot store report {}: {}", report.report_id, outcome.status().message());
    // Whatever the storage problem, the agent keeps the report and retries later.
    return {grpc::StatusCode::UNAVAILABLE,
            "the collector cannot store reports right now; retry later"};
  }
  spdlog::info("report {} from host {} ({}): {}{}", report.report_id, report.host.host_id,
               report.ministry, EnumName(outcome->verdict.status),
               outcome->duplicate ? " (duplicate)" : "");
  response->set_report_id(report.report_id);
  response->set_duplicate(outcome->duplicate);
  *response->mutable_verdict() = ToProto(outcome->verdict);
  return grpc::Status::OK;
}

}  // namespace vigie::collector
