// vigie-collector: receives agents' reports, stores them and answers how compliant each
// ministry is.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "collector/agent_service.h"
#include "collector/settings.h"
#include "collector/store.h"
#include "collector/summary.h"
#include "common/grpc_logging.h"
#include "common/logging.h"
#include "common/ministries.h"
#include "common/version.h"

namespace vigie::collector {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "vigie-collector: error: %s\n", status.message().c_str());
  return 1;
}

Result<MinistryList> LoadMinistries(const std::string& path) {
  if (path.empty()) return MinistryList::BuiltIn();
  return MinistryList::Load(path);
}

int Serve(const ServeSettings& settings) {
  if (Status status = SetupLogging(
          LogStyle::kService, settings.log_level,
          settings.log_file.empty() ? std::nullopt : std::optional<std::string>(settings.log_file));
      !status.ok()) {
    return Fail(status);
  }
  RouteGrpcLogsToSpdlog();
  if (!settings.insecure) {
    return Fail(FailedPrecondition(
        "TLS is not available in this version: pass --insecure (or insecure = true in the "
        "configuration) to serve in plain text on a trusted network"));
  }
  auto ministries = LoadMinistries(settings.ministries_file);
  if (!ministries.ok()) return Fail(ministries.status());
  auto store = Store::Open(settings.database);
  if (!store.ok()) return Fail(store.status());

  // Signals are taken by one thread with sigwait, so no handler runs inside gRPC's threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  AgentServiceImpl service(*store, *ministries, [] {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  });
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(settings.grpc_listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return Fail(Unavailable("cannot listen on " + settings.grpc_listen +
                            " (address in use, or not an address)"));
  }
  const std::string host = settings.grpc_listen.substr(0, settings.grpc_listen.rfind(':'));
  std::cout << "vigie-collector " << kVersion << ": gRPC on " << host << ":" << port
            << ", database " << settings.database << std::endl;
  spdlog::info("serving gRPC on {}:{}, database {}", host, port, settings.database);

  std::thread stopper([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received: finishing the calls in progress", received);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  });
  server->Wait();
  stopper.join();
  spdlog::info("stopped");
  return 0;
}

int Summary(const std::string& database, const std::string& ministries_file,
            const std::string& format) {
  auto ministries = LoadMinistries(ministries_file);
  if (!ministries.ok()) return Fail(ministries.status());
  auto store = Store::Open(database, Store::Mode::kExisting);
  if (!store.ok()) return Fail(store.status());
  auto counts = store->CountHostsByMinistry();
  if (!counts.ok()) return Fail(counts.status());
  std::cout << (format == "json" ? SummaryToJson(*counts, *ministries) + "\n"
                                 : SummaryToText(*counts, *ministries));
  return 0;
}

}  // namespace
}  // namespace vigie::collector

int main(int argc, char** argv) {
  using namespace vigie;
  using namespace vigie::collector;

  CLI::App app{
      "Vigie collector: stores agents' reports and tells each ministry how compliant it is",
      "vigie-collector"};
  app.set_version_flag("--version", std::string("vigie-collector ") + kVersion);
  app.require_subcommand(1);

  ServeSettings defaults;
  ServeSettings flags;
  std::string config;
  auto* serve = app.add_subcommand("serve", "Receive reports over gRPC until SIGTERM or SIGINT");
  serve->add_option("--config", config, "TOML configuration file; flags override it")
      ->check(CLI::ExistingFile);
  auto* grpc_listen = serve
                          ->add_option("--grpc-listen", flags.grpc_listen,
                                       "gRPC address, HOST:PORT (port 0: any free port)")
                          ->default_str(defaults.grpc_listen);
  auto* database = serve->add_option("--database", flags.database, "SQLite database file")
                       ->default_str(defaults.database);
  auto* ministries_file = serve->add_option("--ministries-file", flags.ministries_file,
                                            "TOML list of ministries (default: the built-in list)");
  auto* log_level = serve
                        ->add_option("--log-level", flags.log_level,
                                     "trace, debug, info, warn, error, critical or off")
                        ->default_str(defaults.log_level);
  auto* log_file =
      serve->add_option("--log-file", flags.log_file, "Log to this file instead of stderr");
  auto* insecure = serve->add_flag("--insecure", flags.insecure,
                                   "Serve plain-text gRPC (trusted loopback or lab network only)");

  std::string summary_database = defaults.database;
  std::string summary_ministries;
  std::string format = "text";
  auto* summary = app.add_subcommand("summary", "Print host counts by verdict for each ministry");
  summary->add_option("--database", summary_database, "SQLite database file")
      ->capture_default_str();
  summary->add_option("--ministries-file", summary_ministries,
                      "TOML list of ministries (default: the built-in list)");
  summary->add_option("--format", format, "text (French, for people) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (summary->parsed()) {
    if (Status status = SetupLogging(LogStyle::kConsole, "warn"); !status.ok()) {
      std::fprintf(stderr, "vigie-collector: error: %s\n", status.message().c_str());
      return 1;
    }
    return Summary(summary_database, summary_ministries, format);
  }

  ServeSettings settings = defaults;
  if (!config.empty()) {
    if (Status status = LoadServeSettings(config, settings); !status.ok()) {
      std::fprintf(stderr, "vigie-collector: error: %s\n", status.message().c_str());
      return 1;
    }
  }
  if (grpc_listen->count()) settings.grpc_listen = flags.grpc_listen;
  if (database->count()) settings.database = flags.database;
  if (ministries_file->count()) settings.ministries_file = flags.ministries_file;
  if (log_level->count()) settings.log_level = flags.log_level;
  if (log_file->count()) settings.log_file = flags.log_file;
  if (insecure->count()) settings.insecure = true;
  return Serve(settings);
}
