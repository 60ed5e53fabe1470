#pragma once

#include <chrono>
#include <string>

#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

struct UplinkOptions {
  std::string collector;  // HOST:PORT
  // PEM CA the collector's certificate must chain to (the ministry's internal PKI).
  std::string ca_file;
  // Optional client certificate and key, for collectors that require mutual TLS.
  std::string client_cert_file;
  std::string client_key_file;
  // Plain-text gRPC. Only for a trusted loopback or lab network: TLS is the deployment default.
  bool insecure = false;
  std::chrono::seconds timeout{30};
};

struct Delivery {
  bool duplicate = false;  // The collector already had this report.
  Verdict verdict;         // The collector's verdict for the host.
};

// Sends one report to the collector's AgentService.Report. gRPC errors come back as a Status
// carrying the collector's message; a failed TLS handshake is explained (untrusted or expired
// certificate, a collector speaking plain text...).
// Checks the TLS options and reads their files, so that a wrong one fails at start-up.
Status CheckUplinkOptions(const UplinkOptions& options);

// `agent_id` and `secret` (from enrollment) authenticate the report.
Result<Delivery> SendReport(const InventoryReport& report, const std::string& agent_id,
                            const std::string& secret, const UplinkOptions& options);

}  // namespace vigie::agent
