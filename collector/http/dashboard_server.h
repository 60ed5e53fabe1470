#pragma once

#include <functional>
#include <memory>
#include <string>

#include "collector/host_evaluator.h"
#include "collector/ingest_metrics.h"
#include "collector/summary.h"
#include "common/ministries.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::collector::http {

struct DashboardOptions {
  std::string listen;  // HOST:PORT; port 0 takes any free port.
  // Both set: HTTPS, and the session cookie gets Secure. Neither: plain HTTP (loopback, or
  // behind a TLS reverse proxy).
  std::string tls_cert;
  std::string tls_key;
  std::string web_root;  // The web application's files; empty: API only.
  std::string database;
  SummaryOptions summary;
  // The gRPC ingest's counters, rendered in /metrics; null when this process ingests nothing.
  // Must outlive the server.
  const IngestMetrics* ingest_metrics = nullptr;
};

// The dashboard: JSON API under /api/v1/, /metrics, /healthz and the web application
// (docs/dashboard.md). Runs its own threads until Stop() or destruction.
class DashboardServer {
 public:
  // `rules` (the deployment's organisation and doctrine) must outlive the server.
  static Result<std::unique_ptr<DashboardServer>> Start(const DashboardOptions& options,
                                                        const JudgingRules& rules,
                                                        std::function<Timestamp()> now);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  int port() const;
  // "http://HOST:PORT" or "https://HOST:PORT".
  std::string url() const;
  void Stop();

  struct Impl;

 private:
  explicit DashboardServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie::collector::http
