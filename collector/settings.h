#pragma once

#include <string>

#include "common/status.h"

namespace vigie::collector {

// Settings of `vigie-collector serve`. Each has a flag and a key of the same name in the
// configuration file (installers/config/collector.toml documents them all).
struct ServeSettings {
  std::string grpc_listen = "127.0.0.1:50051";                     // grpc-listen
  std::string database = "/var/lib/vigie-collector/collector.db";  // database
  std::string ministries_file;      // ministries-file; empty: the built-in list
  std::string policy_file;          // policy-file; empty: the built-in doctrine policy
  int stale_after_days = 30;        // stale-after-days: silence that makes a verdict UNKNOWN
  int report_retention_days = 400;  // report-retention-days: raw reports older are deleted
  std::string log_level = "info";   // log-level
  std::string log_file;             // log-file; empty: stderr (journald)
  std::string tls_cert;             // tls-cert: PEM certificate chain agents verify
  std::string tls_key;              // tls-key: PEM private key of tls-cert
  std::string tls_client_ca;        // tls-client-ca: PEM CA agents' certificates must chain to
  bool insecure = false;            // insecure: plain-text gRPC
  // The dashboard (docs/dashboard.md). Empty http-listen: no HTTP server.
  std::string http_listen;                        // http-listen, HOST:PORT
  std::string http_tls_cert;                      // http-tls-cert, PEM; with http-tls-key: HTTPS
  std::string http_tls_key;                       // http-tls-key, PEM
  std::string web_root = "/usr/share/vigie/web";  // web-root: the web application's files
  // Produced compliance reports (docs/reports.md): where `report run --archive` and schedules
  // without a directory write, and how long they are kept.
  std::string report_archive_directory =
      "/var/lib/vigie-collector/rapports";  // report-archive-directory
  int report_archive_days = 400;            // report-archive-days
  // report-host-names: "pseudonymous" (the hosts sheet names hosts by an HMAC of their name) or
  // "clear".
  std::string report_host_names = "pseudonymous";
};

// Ten years: a longer period of days in the configuration is a typo.
inline constexpr int kMaxSettingDays = 3650;

// Reads a configuration file into `settings`, leaving keys it does not set untouched. Unknown
// keys, wrong types and out-of-range numbers are refused with the file, line and key.
Status LoadServeSettings(const std::string& path, ServeSettings& settings);

}  // namespace vigie::collector
