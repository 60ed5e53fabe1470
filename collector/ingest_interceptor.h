#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "collector/ingest_metrics.h"

namespace vigie::collector {

// Counts every AgentService.Report call into `metrics` (stored, duplicate, or refused with its
// status) with its latency, from outside the service: the ingest code stays free of metrics.
// Register it with ServerBuilder::experimental().SetInterceptorCreators.
class IngestMetricsInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit IngestMetricsInterceptorFactory(IngestMetrics& metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  IngestMetrics& metrics_;
};

}  // namespace vigie::collector
