#pragma once

#include <chrono>
#include <string>

#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

struct UplinkOptions {
  std::string collector;  // HOST:PORT
  // Plain-text gRPC. Only for a trusted loopback or lab network: TLS is the deployment default.
  bool insecure = false;
  std::chrono::seconds timeout{30};
};

struct Delivery {
  bool duplicate = false;  // The collector already had this report.
  Verdict verdict;         // The collector's verdict for the host.
};

// Sends one report to the collector's AgentService.Report. gRPC errors come back as a Status
// carrying the collector's message.
Result<Delivery> SendReport(const InventoryReport& report, const UplinkOptions& options);

}  // namespace vigie::agent
