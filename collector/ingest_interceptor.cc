#include "collector/ingest_interceptor.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include <cctype>
#include <chrono>
#include <string>

#include "vigie/v1/agent_service.pb.h"

namespace vigie::collector {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr const char* kReportMethod = "/vigie.v1.AgentService/Report";

std::string StatusName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "cancelled";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid_argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "not_found";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission_denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "resource_exhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "failed_precondition";
    case grpc::StatusCode::UNAVAILABLE:
      return "unavailable";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "other";
  }
}

class IngestMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit IngestMetricsInterceptor(IngestMetrics& metrics) : metrics_(metrics) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      // The sync service hands over its response object; read whether it was a duplicate.
      if (const auto* response =
              static_cast<const v1::ReportResponse*>(methods->GetSendMessage())) {
        duplicate_ = response->duplicate();
      } else if (grpc::ByteBuffer* buffer = methods->GetSerializedSendMessage()) {
        v1::ReportResponse parsed;
        grpc::ProtoBufferReader reader(buffer);
        if (parsed.ParseFromZeroCopyStream(&reader)) duplicate_ = parsed.duplicate();
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      const grpc::Status status = methods->GetSendStatus();
      if (!status.ok()) {
        metrics_.Refused(StatusName(status.error_code()), seconds);
      } else if (duplicate_) {
        metrics_.Duplicate(seconds);
      } else {
        metrics_.Stored(seconds);
      }
    }
    methods->Proceed();
  }

 private:
  IngestMetrics& metrics_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool duplicate_ = false;
};

}  // namespace

grpc::experimental::Interceptor* IngestMetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (std::string(info->method()) != kReportMethod) return nullptr;
  return new IngestMetricsInterceptor(metrics_);
}

}  // namespace vigie::collector
