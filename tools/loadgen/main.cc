// vigie-loadgen: simulated agents against a collector, for benchmarks and reliability tests
// (docs/benchmarks.md, "Ingest"). A developer tool: its output is in English.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tools/loadgen/fleet.h"
#include "tools/loadgen/load_runner.h"
#include "tools/loadgen/null_service.h"

namespace vigie::loadgen {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "vigie-loadgen: error: %s\n", status.message().c_str());
  return 1;
}

// Serves NullAgentService on `listen` until SIGTERM or SIGINT.
int ServeNull(const std::string& listen) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  NullAgentService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  if (!server || port == 0) return Fail(Unavailable("cannot listen on " + listen));
  std::cout << "vigie-loadgen: null service on " << listen.substr(0, listen.rfind(':')) << ":"
            << port << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  server->Shutdown();
  return 0;
}

nlohmann::json ToJson(const LoadResult& result) {
  return {{"agents", result.agents},
          {"seconds", result.seconds},
          {"reports_per_second", result.reports_per_second},
          {"sent", result.sent},
          {"acknowledged", result.acknowledged},
          {"duplicates", result.duplicates},
          {"refused", result.refused},
          {"undelivered", result.undelivered},
          {"latency_ms",
           {{"p50", result.p50_ms},
            {"p90", result.p90_ms},
            {"p99", result.p99_ms},
            {"max", result.max_ms}}},
          {"errors", result.errors}};
}

void PrintText(const LoadResult& result) {
  std::printf("%.0f reports/s\n", result.reports_per_second);
  std::printf("agents %zu, window %.1f s, calls %llu\n", result.agents, result.seconds,
              static_cast<unsigned long long>(result.sent));
  std::printf("acknowledged %llu (duplicates %llu), refused %llu, undelivered %llu\n",
              static_cast<unsigned long long>(result.acknowledged),
              static_cast<unsigned long long>(result.duplicates),
              static_cast<unsigned long long>(result.refused),
              static_cast<unsigned long long>(result.undelivered));
  std::printf("ack latency ms: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n", result.p50_ms,
              result.p90_ms, result.p99_ms, result.max_ms);
  for (const auto& [code, count] : result.errors) {
    std::printf("errors %s: %llu\n", code.c_str(), static_cast<unsigned long long>(count));
  }
}

}  // namespace
}  // namespace vigie::loadgen

int main(int argc, char** argv) {
  using namespace vigie::loadgen;
  CLI::App app{
      "Simulated agents against a collector: enroll N agents, send their reports, measure"};
  app.require_subcommand(0, 1);
  LoadOptions options;
  std::string fixtures = VIGIE_DEFAULT_FIXTURES;
  std::string format = "text";
  std::string acked_file;
  int duration = 10, drain = 60;
  app.add_option("--collector", options.collector, "The collector's gRPC address, HOST:PORT");
  auto* insecure = app.add_flag("--insecure", options.insecure, "Plain-text gRPC");
  app.add_option("--ca", options.ca_file, "PEM CA the collector's certificate chains to")
      ->excludes(insecure);
  app.add_option("--token", options.token, "Enrollment token with enough uses for --agents");
  app.add_option("--agents", options.agents, "Simulated agents")->capture_default_str();
  app.add_option("--duration", duration, "Seconds of load (ignored with --storm)")
      ->capture_default_str();
  app.add_option("--rate", options.rate, "Reports per second, retries included; 0: flat out")
      ->capture_default_str();
  app.add_option("--concurrency", options.concurrency, "Calls in flight at once")
      ->capture_default_str();
  app.add_flag("--storm", options.storm,
               "Reconnect storm: every agent at once with --spooled reports, then stop");
  app.add_option("--spooled", options.spooled, "Reports each agent holds in a storm")
      ->capture_default_str();
  app.add_option("--channels", options.channels, "Connections the agents share")
      ->capture_default_str();
  app.add_option("--host-prefix", options.host_prefix, "Host ids are PREFIX-N")
      ->capture_default_str();
  app.add_option("--drain-timeout", drain, "Seconds to keep retrying undelivered reports")
      ->capture_default_str();
  app.add_option("--fixtures", fixtures, "Fixture hosts the reports are made from")
      ->capture_default_str();
  app.add_option("--format", format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--acked-file", acked_file, "Write the acknowledged report ids there");
  std::string null_listen = "127.0.0.1:0";
  auto* null_server =
      app.add_subcommand("null-server", "Serve an AgentService that does nothing (the baseline)");
  null_server->add_option("--listen", null_listen, "Address to listen on")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (null_server->parsed()) return ServeNull(null_listen);

  if (options.collector.empty()) return Fail(vigie::InvalidArgument("--collector is required"));
  if (!options.insecure && options.ca_file.empty()) {
    return Fail(vigie::InvalidArgument("give --ca FILE, or --insecure for plain text"));
  }
  if (options.agents == 0) return Fail(vigie::InvalidArgument("--agents must be at least 1"));
  options.duration = std::chrono::seconds(duration);
  options.drain_timeout = std::chrono::seconds(drain);

  auto fleet = Fleet::FromFixtures(fixtures);
  if (!fleet.ok()) return Fail(fleet.status());
  auto result = RunLoad(*fleet, options);
  if (!result.ok()) return Fail(result.status());
  if (!acked_file.empty()) {
    std::ofstream out(acked_file);
    for (const auto& id : result->acknowledged_ids) out << id << '\n';
    if (!out) return Fail(vigie::Unavailable("cannot write " + acked_file));
  }
  if (format == "json") {
    std::cout << ToJson(*result).dump(2) << std::endl;
  } else {
    PrintText(*result);
  }
  // 2: the run worked but not every report was delivered.
  return result->undelivered == 0 && result->refused == 0 ? 0 : 2;
}
