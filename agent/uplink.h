#pragma once

#include <grpcpp/client_context.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "agent/uplink_options.h"
#include "common/model.h"
#include "common/status.h"
#include "vigie/v1/agent_service.grpc.pb.h"

namespace vigie::agent {

// What became of one attempt to deliver a report.
struct SendAttempt {
  // OK when the collector acknowledged the report (stored now or before).
  Status status;
  Delivery delivery;
  // The collector refused this report for good (malformed, for another ministry, dated far in
  // the future): sending it again would fail the same way. Every other failure is worth a retry.
  bool refused = false;
  // When the collector said when to come back (trailing metadata vigie-retry-after).
  std::optional<std::chrono::seconds> retry_after;
};

// The gRPC client of AgentService.Report: one channel for the agent's lifetime (gRPC reconnects
// it by itself). Thread-safe; Cancel() ends the call in progress, for a prompt shutdown.
class Uplink {
 public:
  static Result<std::unique_ptr<Uplink>> Connect(const UplinkOptions& options);

  // Sends one serialized vigie.v1.InventoryReport, authenticated by `agent_id` and `secret`
  // (from enrollment). Errors carry the collector's message; a failed TLS handshake is explained
  // (untrusted or expired certificate, a collector speaking plain text...).
  SendAttempt Send(const std::string& payload, const std::string& agent_id,
                   const std::string& secret);
  void Cancel();

  const UplinkOptions& options() const { return options_; }

 private:
  Uplink(UplinkOptions options, std::unique_ptr<v1::AgentService::Stub> stub)
      : options_(std::move(options)), stub_(std::move(stub)) {}

  UplinkOptions options_;
  std::unique_ptr<v1::AgentService::Stub> stub_;
  std::mutex mutex_;
  grpc::ClientContext* call_ = nullptr;  // the call in progress, guarded by mutex_
  bool cancelled_ = false;
};

}  // namespace vigie::agent
