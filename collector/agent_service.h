#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>

#include "collector/agent_registry.h"
#include "collector/failure_limiter.h"
#include "collector/host_evaluator.h"
#include "collector/ingest_writer.h"
#include "common/ministries.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::collector {

// The gRPC metadata an agent authenticates its reports with.
inline constexpr char kAgentIdMetadata[] = "vigie-agent-id";
inline constexpr char kAgentSecretMetadata[] = "vigie-agent-secret";
// Trailing metadata: seconds the agent should wait before trying again.
inline constexpr char kRetryAfterMetadata[] = "vigie-retry-after";

// The largest request the collector reads (gRPC refuses larger ones with RESOURCE_EXHAUSTED
// before they reach the service). Real reports are a few KiB to a few hundred KiB.
inline constexpr int kMaxReportRequestBytes = 4 * 1024 * 1024;
// Nesting depth accepted when decoding a request: the schema nests 4 deep; only unknown groups
// could nest further, and nothing legitimate sends them.
inline constexpr int kMaxReportNesting = 16;

// The server settings that keep the collector's memory bounded under any load: the largest
// request, and how many calls one connection may have in flight (the rest wait in the client).
void ConfigureAgentServer(grpc::ServerBuilder& builder);

// AgentService over gRPC: enrolls agents with tokens; authenticates, validates and hands reports
// to the ingest writer, answering once the writer has committed them. Nothing of a refused
// report is stored. Report runs on gRPC's callback threads and never waits for the database:
// the call completes when the writer calls back.
class AgentServiceImpl final : public v1::AgentService::Service {
 public:
  using Clock = std::function<Timestamp()>;

  AgentServiceImpl(AgentRegistry& registry, IngestWriter& writer, const JudgingRules& rules,
                   Clock clock, FailureLimiter::Options limits = {});

  grpc::Status Enroll(grpc::ServerContext* context, const v1::EnrollRequest* request,
                      v1::EnrollResponse* response) override;
  // AgentService.Report, registered as a callback method that takes the request's raw bytes, so
  // that a request that does not decode (truncated, nested too deep, invalid UTF-8) gets an
  // INVALID_ARGUMENT that says so rather than gRPC's generic error; the answer is a typed
  // ReportResponse, which interceptors (collector/ingest_interceptor.h) read.
  grpc::ServerUnaryReactor* ReceiveReport(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          v1::ReportResponse* response);

 private:
  // RESOURCE_EXHAUSTED with a retry delay when the peer failed too often; OK otherwise.
  grpc::Status CheckRate(grpc::ServerContextBase* context, const std::string& peer);
  Result<AgentRecord> AuthenticateAgent(const grpc::ServerContextBase& context);
  // Everything before the writer: rate limit, authentication, decoding, ministry, validation.
  // OK with `pending` filled, or the refusal.
  grpc::Status Admit(grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
                     PendingReport* pending);

  AgentRegistry& registry_;
  IngestWriter& writer_;
  JudgingRules rules_;
  Clock clock_;
  FailureLimiter failures_;
};

}  // namespace vigie::collector
