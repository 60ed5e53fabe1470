#pragma once

#include <chrono>
#include <string>

#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// How the agent reaches its collector. Plain data, without gRPC: the light `vigie-agent` checks
// and passes them on to `vigie-agent-uplink`, which alone links gRPC.
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

// The PEM contents of the TLS files of UplinkOptions; all empty when insecure.
struct TlsMaterial {
  std::string ca;
  std::string client_cert;
  std::string client_key;
};

// Reads and checks the TLS files (PEM, the key belongs to the certificate), so that a wrong one
// fails at start-up with its flag and file named.
Result<TlsMaterial> ReadTlsMaterial(const UplinkOptions& options);

inline Status CheckUplinkOptions(const UplinkOptions& options) {
  return ReadTlsMaterial(options).status();
}

struct Delivery {
  bool duplicate = false;  // The collector already had this report.
  Verdict verdict;         // The collector's verdict for the host.
};

}  // namespace vigie::agent
