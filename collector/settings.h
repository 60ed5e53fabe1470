#pragma once

#include <string>

#include "common/status.h"

namespace vigie::collector {

// Settings of `vigie-collector serve`. Each has a flag and a key of the same name in the
// configuration file (installers/config/collector.toml documents them all).
struct ServeSettings {
  std::string grpc_listen = "127.0.0.1:50051";           // grpc-listen
  std::string database = "/var/lib/vigie/collector.db";  // database
  std::string ministries_file;     // ministries-file; empty: the built-in list
  std::string log_level = "info";  // log-level
  std::string log_file;            // log-file; empty: stderr (journald)
  std::string tls_cert;            // tls-cert: PEM certificate chain agents verify
  std::string tls_key;             // tls-key: PEM private key of tls-cert
  std::string tls_client_ca;       // tls-client-ca: PEM CA agents' certificates must chain to
  bool insecure = false;           // insecure: plain-text gRPC
};

// Reads a configuration file into `settings`, leaving keys it does not set untouched. Unknown
// keys and wrong types are refused with the file, line and key.
Status LoadServeSettings(const std::string& path, ServeSettings& settings);

}  // namespace vigie::collector
