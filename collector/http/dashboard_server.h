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

class InMemoryServer;

// The dashboard's request handling without a socket or a thread: raw HTTP/1.1 request bytes in,
// the raw response out, through the same parsing, routes, authentication, limits and error
// pages as DashboardServer. The API's fuzz target drives it (docs/fuzzing.md).
class DashboardRequestHandler {
 public:
  // `rules` must outlive the handler. TLS options are ignored: there is no connection.
  static Result<std::unique_ptr<DashboardRequestHandler>> Create(const DashboardOptions& options,
                                                                 const JudgingRules& rules,
                                                                 std::function<Timestamp()> now);
  ~DashboardRequestHandler();
  DashboardRequestHandler(const DashboardRequestHandler&) = delete;
  DashboardRequestHandler& operator=(const DashboardRequestHandler&) = delete;

  // One request as a client sends it (request line, headers, body); the response as the server
  // writes it (status line, headers, body).
  std::string Handle(std::string_view request);

 private:
  DashboardRequestHandler(std::unique_ptr<DashboardServer::Impl> impl, InMemoryServer* server);
  std::unique_ptr<DashboardServer::Impl> impl_;
  InMemoryServer* server_;
};

}  // namespace vigie::collector::http
