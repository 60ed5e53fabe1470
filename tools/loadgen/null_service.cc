#include "tools/loadgen/null_service.h"

namespace vigie::loadgen {

grpc::ServerUnaryReactor* NullAgentService::Enroll(grpc::CallbackServerContext* context,
                                                   const v1::EnrollRequest* request,
                                                   v1::EnrollResponse* response) {
  response->set_agent_id("null-" + request->host().host_id());
  response->set_agent_secret(std::string(64, '0'));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* NullAgentService::Report(grpc::CallbackServerContext* context,
                                                   const v1::ReportRequest* request,
                                                   v1::ReportResponse* response) {
  response->set_report_id(request->report().report_id());
  *response->mutable_verdict() = request->report().verdict();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace vigie::loadgen
