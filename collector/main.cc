// vigie-collector: receives agents' reports, stores them and answers how compliant each
// ministry is.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "collector/agent_service.h"
#include "collector/derogation_commands.h"
#include "collector/host_evaluator.h"
#include "collector/settings.h"
#include "collector/store.h"
#include "collector/summary.h"
#include "collector/tls.h"
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

Timestamp Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// Re-evaluates every host when the day changes, so that derogations expire (and start) without
// waiting for new reports; the first pass runs at once, catching up on days the collector was
// down.
class DailyReevaluation {
 public:
  explicit DailyReevaluation(Store& store) : store_(store), thread_([this] { Loop(); }) {}
  ~DailyReevaluation() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::optional<Date> done;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      const Timestamp now = Now();
      if (done != Today(now)) {
        lock.unlock();
        auto changed =
            store_.Reevaluate("", MakeHostEvaluator(doctrine::Policy::BuiltIn(), Today(now)), now,
                              "daily re-evaluation");
        if (changed.ok()) {
          done = Today(now);
          spdlog::info("daily re-evaluation: {} verdict(s) changed", *changed);
        } else {
          spdlog::error("daily re-evaluation failed, retrying in an hour: {}",
                        changed.status().message());
        }
        lock.lock();
      }
      wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; });
    }
  }

  Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

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
  // Signals are taken by one thread with sigwait, so no handler runs inside gRPC's threads;
  // they are blocked before anything can start one of those threads (credentials do).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto credentials = ServerCredentialsFor(settings);
  if (!credentials.ok()) return Fail(credentials.status());
  auto ministries = LoadMinistries(settings.ministries_file);
  if (!ministries.ok()) return Fail(ministries.status());
  auto store = Store::Open(settings.database);
  if (!store.ok()) return Fail(store.status());

  AgentServiceImpl service(*store, *ministries, Now);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(settings.grpc_listen, *credentials, &port);
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
  DailyReevaluation reevaluation(*store);
  server->Wait();
  stopper.join();
  spdlog::info("stopped");
  return 0;
}

int Summary(const std::string& database, const std::string& ministries_file,
            const std::string& format, const SummaryOptions& options) {
  auto ministries = LoadMinistries(ministries_file);
  if (!ministries.ok()) return Fail(ministries.status());
  auto store = Store::Open(database, Store::Mode::kExisting);
  if (!store.ok()) return Fail(store.status());
  auto summary = BuildSummary(*store, *ministries, Now(), options);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << (format == "json" ? SummaryToJson(*summary) + "\n" : SummaryToText(*summary));
  return 0;
}

int Derogations(const std::string& database, const std::string& ministries_file,
                const std::function<Result<std::string>(Store&, const MinistryList&)>& action) {
  if (Status status = SetupLogging(LogStyle::kConsole, "warn"); !status.ok()) return Fail(status);
  auto ministries = LoadMinistries(ministries_file);
  if (!ministries.ok()) return Fail(ministries.status());
  auto store = Store::Open(database, Store::Mode::kExisting);
  if (!store.ok()) return Fail(store.status());
  auto text = action(*store, *ministries);
  if (!text.ok()) return Fail(text.status());
  std::cout << *text;
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
  auto* tls_cert =
      serve->add_option("--tls-cert", flags.tls_cert, "PEM certificate chain of this collector");
  auto* tls_key = serve->add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert");
  auto* tls_client_ca =
      serve->add_option("--tls-client-ca", flags.tls_client_ca,
                        "PEM CA that agents' client certificates must chain to (mutual TLS)");
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
  SummaryOptions summary_options;
  summary
      ->add_option("--stale-days", summary_options.stale_after_days,
                   "Days without a report after which a host counts as stale")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  summary
      ->add_option("--expiring-days", summary_options.expiring_within_days,
                   "List derogations ending within this many days")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();

  std::string derogation_database = defaults.database;
  std::string derogation_ministries;
  auto* derogation = app.add_subcommand("derogation", "Manage the derogation register");
  derogation->require_subcommand(1);
  const auto add_register_options = [&](CLI::App* command) {
    command->add_option("--database", derogation_database, "SQLite database file")
        ->capture_default_str();
    command->add_option("--ministries-file", derogation_ministries,
                        "TOML list of ministries (default: the built-in list)");
  };
  DerogationRequest request;
  auto* derogation_add = derogation->add_subcommand(
      "add",
      "Record a derogation (MAIL or PERSONAL_DRIVE only) and re-evaluate the ministry's hosts");
  add_register_options(derogation_add);
  derogation_add->add_option("--ministry", request.ministry, "Ministry code")->required();
  derogation_add->add_option("--service", request.service, "MAIL or PERSONAL_DRIVE")->required();
  derogation_add->add_option("--granted-by", request.granted_by, "Who granted it")->required();
  derogation_add->add_option("--from", request.from, "First day, YYYY-MM-DD")->required();
  derogation_add->add_option("--until", request.until, "Last day, YYYY-MM-DD")->required();
  derogation_add->add_option("--reference", request.reference, "Reference of the decision")
      ->required();
  std::string list_ministry;
  std::string list_format = "text";
  auto* derogation_list = derogation->add_subcommand("list", "List the derogation register");
  add_register_options(derogation_list);
  derogation_list->add_option("--ministry", list_ministry, "Only this ministry");
  derogation_list->add_option("--format", list_format, "text (French) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::int64_t revoke_id = 0;
  auto* derogation_revoke = derogation->add_subcommand(
      "revoke", "Revoke a derogation and re-evaluate the ministry's hosts");
  add_register_options(derogation_revoke);
  derogation_revoke->add_option("--id", revoke_id, "Derogation number")->required();

  CLI11_PARSE(app, argc, argv);

  if (derogation->parsed()) {
    const doctrine::Policy& policy = doctrine::Policy::BuiltIn();
    return Derogations(derogation_database, derogation_ministries,
                       [&](Store& store, const MinistryList& ministries) -> Result<std::string> {
                         if (derogation_add->parsed()) {
                           auto checked = CheckDerogationRequest(request, policy, ministries);
                           if (!checked.ok()) return checked.status();
                           return AddDerogation(store, *checked, policy, CurrentActor(), Now());
                         }
                         if (derogation_revoke->parsed()) {
                           return RevokeDerogation(store, revoke_id, policy, CurrentActor(), Now());
                         }
                         auto records = store.ListDerogations(list_ministry);
                         if (!records.ok()) return records.status();
                         return list_format == "json"
                                    ? DerogationsToJson(*records, Today(Now())) + "\n"
                                    : DerogationsToText(*records, Today(Now()));
                       });
  }

  if (summary->parsed()) {
    if (Status status = SetupLogging(LogStyle::kConsole, "warn"); !status.ok()) {
      std::fprintf(stderr, "vigie-collector: error: %s\n", status.message().c_str());
      return 1;
    }
    return Summary(summary_database, summary_ministries, format, summary_options);
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
  if (tls_cert->count()) settings.tls_cert = flags.tls_cert;
  if (tls_key->count()) settings.tls_key = flags.tls_key;
  if (tls_client_ca->count()) settings.tls_client_ca = flags.tls_client_ca;
  if (insecure->count()) settings.insecure = true;
  return Serve(settings);
}
