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

#include "collector/agent_commands.h"
#include "collector/agent_registry.h"
#include "collector/agent_service.h"
#include "collector/daily_maintenance.h"
#include "collector/demo_fleet.h"
#include "collector/deployment.h"
#include "collector/derogation_commands.h"
#include "collector/host_evaluator.h"
#include "collector/http/dashboard_server.h"
#include "collector/ingest_interceptor.h"
#include "collector/ingest_metrics.h"
#include "collector/ingest_writer.h"
#include "collector/organisation_commands.h"
#include "collector/report.h"
#include "collector/report_archive.h"
#include "collector/report_schedule.h"
#include "collector/report_writers.h"
#include "collector/settings.h"
#include "collector/store.h"
#include "collector/summary.h"
#include "collector/tls.h"
#include "collector/tokens.h"
#include "collector/user_commands.h"
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

// Runs the daily maintenance at start-up (catching up on days the collector was down) and then
// hourly, so that it happens soon after each day begins; a failure is retried the next hour.
// The scheduled reports follow, so that they compare with the snapshot the maintenance wrote;
// the thread also wakes at the minute a cron-like schedule fires.
class MaintenanceThread {
 public:
  MaintenanceThread(DailyMaintenance& maintenance, ReportScheduler& reports)
      : maintenance_(maintenance), reports_(reports), thread_([this] { Loop(); }) {}
  ~MaintenanceThread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      if (Status status = maintenance_.RunIfDue(Now()); !status.ok()) {
        spdlog::error("{}; retrying in an hour", status.message());
      }
      if (auto written = reports_.RunDue(Now()); !written.ok()) {
        spdlog::error("scheduled report: {}; retrying in an hour", written.status().message());
      } else {
        for (const auto& path : *written) spdlog::info("scheduled report written: {}", path);
      }
      const Timestamp next = reports_.NextCheck(Now());
      lock.lock();
      wake_.wait_until(lock, std::chrono::system_clock::time_point(next),
                       [this] { return stopping_; });
    }
  }

  DailyMaintenance& maintenance_;
  ReportScheduler& reports_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// The options every command that opens the database shares, with the same names as the keys of
// the configuration file: `--config` first, then the flags given. Only one command runs per
// invocation, so each command's options are bound to the same variables.
class SharedOptions {
 public:
  void AddTo(CLI::App* command) {
    command->add_option("--config", config_, "TOML configuration file; flags override it")
        ->check(CLI::ExistingFile);
    Track(command->add_option("--database", flags_.database, "SQLite database file")
              ->default_str(ServeSettings{}.database),
          [](ServeSettings& to, const ServeSettings& from) { to.database = from.database; });
    Track(command->add_option("--ministries-file", flags_.ministries_file,
                              "TOML organisation: ministries, org units, tenants (default: the "
                              "built-in list)"),
          [](ServeSettings& to, const ServeSettings& from) {
            to.ministries_file = from.ministries_file;
          });
    Track(command->add_option("--policy-file", flags_.policy_file,
                              "TOML doctrine policy (default: the built-in policy)"),
          [](ServeSettings& to, const ServeSettings& from) { to.policy_file = from.policy_file; });
    Track(command
              ->add_option("--stale-after-days", flags_.stale_after_days,
                           "Days without a report after which a host's verdict is UNKNOWN")
              ->check(CLI::Range(1, kMaxSettingDays))
              ->default_str(std::to_string(ServeSettings{}.stale_after_days)),
          [](ServeSettings& to, const ServeSettings& from) {
            to.stale_after_days = from.stale_after_days;
          });
  }

  // Registers a serve-only option whose value `apply` copies from the flags into the settings.
  void Track(CLI::Option* option, std::function<void(ServeSettings&, const ServeSettings&)> apply) {
    given_.emplace_back(option, std::move(apply));
  }

  ServeSettings& flags() { return flags_; }
  const std::string& config() const { return config_; }

  Result<ServeSettings> Resolve() const {
    ServeSettings settings;
    if (!config_.empty()) VIGIE_RETURN_IF_ERROR(LoadServeSettings(config_, settings));
    for (const auto& [option, apply] : given_) {
      if (option->count() > 0) apply(settings, flags_);
    }
    return settings;
  }

 private:
  std::string config_;
  ServeSettings flags_;
  std::vector<std::pair<CLI::Option*, std::function<void(ServeSettings&, const ServeSettings&)>>>
      given_;
};

// Opens what a command works on: the deployment's organisation and doctrine, and the database.
struct Workspace {
  std::unique_ptr<const Deployment> deployment;
  std::unique_ptr<Store> store;
  std::unique_ptr<AgentRegistry> registry;
};

Result<Workspace> OpenWorkspace(const ServeSettings& settings, Store::Mode mode) {
  auto deployment =
      Deployment::Load(settings.ministries_file, settings.policy_file, settings.stale_after_days);
  if (!deployment.ok()) return deployment.status();
  auto store = Store::Open(settings.database, mode);
  if (!store.ok()) return store.status();
  auto registry = AgentRegistry::Open(settings.database);
  if (!registry.ok()) return registry.status();
  return Workspace{std::move(deployment).value(), std::make_unique<Store>(std::move(store).value()),
                   std::make_unique<AgentRegistry>(std::move(registry).value())};
}

// Runs a console command: `action` returns the text to print.
int RunCommand(const SharedOptions& options,
               const std::function<Result<std::string>(Workspace&)>& action,
               Store::Mode mode = Store::Mode::kExisting) {
  if (Status status = SetupLogging(LogStyle::kConsole, "warn"); !status.ok()) return Fail(status);
  auto settings = options.Resolve();
  if (!settings.ok()) return Fail(settings.status());
  auto workspace = OpenWorkspace(*settings, mode);
  if (!workspace.ok()) return Fail(workspace.status());
  auto text = action(*workspace);
  if (!text.ok()) return Fail(text.status());
  std::cout << *text;
  return 0;
}

// What every report of this deployment shares: staleness and how hosts are named.
Result<ReportRequest> ReportDefaults(const ServeSettings& settings, Store& store) {
  ReportRequest defaults;
  defaults.stale_after_days = settings.stale_after_days;
  auto host_names = ParseHostNames(settings.report_host_names);
  if (!host_names.ok()) return host_names.status();
  defaults.host_names = *host_names;
  auto key = store.DeploymentKey("report-host-names");
  if (!key.ok()) return key.status();
  defaults.host_name_key = *key;
  return defaults;
}

int Serve(const ServeSettings& settings, std::vector<ReportSchedule> schedules) {
  if (Status status = SetupLogging(
          LogStyle::kService, settings.log_level,
          settings.log_file.empty() ? std::nullopt : std::optional<std::string>(settings.log_file));
      !status.ok()) {
    return Fail(status);
  }
  RouteGrpcLogsToSpdlog();
  // A file-size limit (systemd's LimitFSIZE) must make writes fail like a full disk, which the
  // ingest writer reports and agents retry, rather than kill the collector.
  signal(SIGXFSZ, SIG_IGN);
  auto workspace = OpenWorkspace(settings, Store::Mode::kCreate);
  if (!workspace.ok()) return Fail(workspace.status());
  Store& store = *workspace->store;
  if (Status writable = store.CheckWritable(); !writable.ok()) return Fail(writable);
  const Deployment& deployment = *workspace->deployment;
  auto archive = ReportArchive::Open(settings.database);
  if (!archive.ok()) return Fail(archive.status());
  auto report_defaults = ReportDefaults(settings, store);
  if (!report_defaults.ok()) return Fail(report_defaults.status());
  auto report_store = Store::Open(settings.database, Store::Mode::kReadOnly);
  if (!report_store.ok()) return Fail(report_store.status());
  ReportScheduler reports(*report_store, *archive, deployment.rules(), std::move(schedules),
                          *report_defaults);
  if (Status status = reports.Check(); !status.ok()) return Fail(status);
  if (auto changes = store.SyncOrgUnits(deployment.ministries(), Now()); !changes.ok()) {
    return Fail(changes.status());
  } else if (*changes > 0) {
    spdlog::info("organisation: {} org-unit change(s) recorded", *changes);
  }

  // Signals are taken by one thread with sigwait, so no handler runs inside gRPC's threads;
  // they are blocked before anything can start one of those threads (credentials do).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto credentials = ServerCredentialsFor(settings);
  if (!credentials.ok()) return Fail(credentials.status());

  // Declared before the server, so that it outlives the calls waiting for it.
  auto writer = IngestWriter::Start(settings.database, deployment.rules(), Now);
  if (!writer.ok()) return Fail(writer.status());
  AgentServiceImpl service(*workspace->registry, **writer, deployment.rules(), Now);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(settings.grpc_listen, *credentials, &port);
  ConfigureAgentServer(builder);
  builder.RegisterService(&service);
  IngestMetrics ingest_metrics;
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<IngestMetricsInterceptorFactory>(ingest_metrics));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return Fail(Unavailable("cannot listen on " + settings.grpc_listen +
                            " (address in use, or not an address)"));
  }
  const std::string host = settings.grpc_listen.substr(0, settings.grpc_listen.rfind(':'));
  std::cout << "vigie-collector " << kVersion << ": gRPC on " << host << ":" << port
            << ", database " << settings.database << std::endl;
  spdlog::info("serving gRPC on {}:{}, database {}", host, port, settings.database);

  std::unique_ptr<http::DashboardServer> dashboard;
  if (!settings.http_listen.empty()) {
    http::DashboardOptions options;
    options.listen = settings.http_listen;
    options.tls_cert = settings.http_tls_cert;
    options.tls_key = settings.http_tls_key;
    options.web_root = settings.web_root;
    options.database = settings.database;
    options.summary.stale_after_days = settings.stale_after_days;
    options.ingest_metrics = &ingest_metrics;
    auto started = http::DashboardServer::Start(options, deployment.rules(), Now);
    if (!started.ok()) {
      server->Shutdown();
      return Fail(started.status());
    }
    dashboard = std::move(started).value();
    std::cout << "vigie-collector: dashboard on " << dashboard->url() << std::endl;
    spdlog::info("serving the dashboard on {}", dashboard->url());
  }

  std::thread stopper([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {} received: finishing the calls in progress", received);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  });
  DailyMaintenance maintenance(store, deployment, settings.report_retention_days);
  maintenance.ExpireArchivedReports(*archive, settings.report_archive_days);
  MaintenanceThread maintenance_thread(maintenance, reports);
  server->Wait();
  stopper.join();
  if (dashboard) dashboard->Stop();
  spdlog::info("stopped");
  return 0;
}

// Runs a `user` command on the accounts in the database, creating the database if needed so that
// accounts can exist before the first `serve`.
int RunUserCommand(
    const SharedOptions& options,
    const std::function<Result<std::string>(UserDirectory&, const Deployment&)>& action) {
  if (Status status = SetupLogging(LogStyle::kConsole, "warn"); !status.ok()) return Fail(status);
  auto settings = options.Resolve();
  if (!settings.ok()) return Fail(settings.status());
  auto deployment = Deployment::Load(settings->ministries_file, settings->policy_file,
                                     settings->stale_after_days);
  if (!deployment.ok()) return Fail(deployment.status());
  auto users = UserDirectory::Open(settings->database);
  if (!users.ok()) return Fail(users.status());
  auto text = action(*users, **deployment);
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

  SharedOptions shared;
  ServeSettings& flags = shared.flags();
  const ServeSettings defaults;
  auto* serve = app.add_subcommand("serve", "Receive reports over gRPC until SIGTERM or SIGINT");
  shared.AddTo(serve);
  shared.Track(
      serve
          ->add_option("--grpc-listen", flags.grpc_listen,
                       "gRPC address, HOST:PORT (port 0: any free port)")
          ->default_str(defaults.grpc_listen),
      [](ServeSettings& to, const ServeSettings& from) { to.grpc_listen = from.grpc_listen; });
  shared.Track(serve
                   ->add_option("--log-level", flags.log_level,
                                "trace, debug, info, warn, error, critical or off")
                   ->default_str(defaults.log_level),
               [](ServeSettings& to, const ServeSettings& from) { to.log_level = from.log_level; });
  shared.Track(
      serve->add_option("--log-file", flags.log_file, "Log to this file instead of stderr"),
      [](ServeSettings& to, const ServeSettings& from) { to.log_file = from.log_file; });
  shared.Track(
      serve->add_option("--tls-cert", flags.tls_cert, "PEM certificate chain of this collector"),
      [](ServeSettings& to, const ServeSettings& from) { to.tls_cert = from.tls_cert; });
  shared.Track(serve->add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert"),
               [](ServeSettings& to, const ServeSettings& from) { to.tls_key = from.tls_key; });
  shared.Track(
      serve->add_option("--tls-client-ca", flags.tls_client_ca,
                        "PEM CA that agents' client certificates must chain to (mutual TLS)"),
      [](ServeSettings& to, const ServeSettings& from) { to.tls_client_ca = from.tls_client_ca; });
  shared.Track(serve->add_flag("--insecure", flags.insecure,
                               "Serve plain-text gRPC (trusted loopback or lab network only)"),
               [](ServeSettings& to, const ServeSettings&) { to.insecure = true; });
  shared.Track(
      serve->add_option(
          "--http-listen", flags.http_listen,
          "Dashboard and JSON API address, HOST:PORT (port 0: any free port); absent: none"),
      [](ServeSettings& to, const ServeSettings& from) { to.http_listen = from.http_listen; });
  shared.Track(
      serve->add_option("--http-tls-cert", flags.http_tls_cert,
                        "PEM certificate of the dashboard (HTTPS)"),
      [](ServeSettings& to, const ServeSettings& from) { to.http_tls_cert = from.http_tls_cert; });
  shared.Track(
      serve->add_option("--http-tls-key", flags.http_tls_key, "PEM private key of the dashboard"),
      [](ServeSettings& to, const ServeSettings& from) { to.http_tls_key = from.http_tls_key; });
  shared.Track(serve->add_option("--web-root", flags.web_root, "The web application's files")
                   ->default_str(defaults.web_root),
               [](ServeSettings& to, const ServeSettings& from) { to.web_root = from.web_root; });
  shared.Track(serve
                   ->add_option("--report-retention-days", flags.report_retention_days,
                                "Days raw reports are kept (each host's latest is always kept)")
                   ->check(CLI::Range(1, kMaxSettingDays))
                   ->default_str(std::to_string(defaults.report_retention_days)),
               [](ServeSettings& to, const ServeSettings& from) {
                 to.report_retention_days = from.report_retention_days;
               });

  shared.Track(serve
                   ->add_option("--report-archive-days", flags.report_archive_days,
                                "Days produced compliance reports are kept (the newest of each "
                                "ministry, period and format is always kept)")
                   ->check(CLI::Range(1, kMaxSettingDays))
                   ->default_str(std::to_string(defaults.report_archive_days)),
               [](ServeSettings& to, const ServeSettings& from) {
                 to.report_archive_days = from.report_archive_days;
               });
  const auto track_archive_directory = [&](CLI::App* command) {
    shared.Track(command
                     ->add_option("--report-archive-directory", flags.report_archive_directory,
                                  "Directory of the archived compliance reports")
                     ->default_str(defaults.report_archive_directory),
                 [](ServeSettings& to, const ServeSettings& from) {
                   to.report_archive_directory = from.report_archive_directory;
                 });
  };
  track_archive_directory(serve);
  const auto track_host_names = [&](CLI::App* command) {
    shared.Track(command
                     ->add_option("--report-host-names", flags.report_host_names,
                                  "How the hosts sheet of reports names hosts: pseudonymous (an "
                                  "HMAC of the name with the deployment's key) or clear")
                     ->check(CLI::IsMember({"pseudonymous", "clear"}))
                     ->default_str(defaults.report_host_names),
                 [](ServeSettings& to, const ServeSettings& from) {
                   to.report_host_names = from.report_host_names;
                 });
  };
  track_host_names(serve);

  std::string format = "text";
  auto* summary = app.add_subcommand("summary", "Print host counts by verdict for each ministry");
  shared.AddTo(summary);
  SummaryOptions summary_options;
  summary->add_option("--ministry", summary_options.ministry, "Only this ministry");
  summary->add_option("--format", format, "text (French, for people) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  summary
      ->add_option("--expiring-days", summary_options.expiring_within_days,
                   "List derogations ending within this many days")
      ->check(CLI::Range(1, kMaxSettingDays))
      ->capture_default_str();

  auto* derogation = app.add_subcommand("derogation", "Manage the derogation register");
  derogation->require_subcommand(1);
  DerogationRequest request;
  auto* derogation_add = derogation->add_subcommand(
      "add",
      "Record a derogation (MAIL or PERSONAL_DRIVE only) and re-evaluate the ministry's hosts");
  shared.AddTo(derogation_add);
  derogation_add->add_option("--ministry", request.ministry, "Ministry code")->required();
  derogation_add->add_option("--service", request.service, "MAIL or PERSONAL_DRIVE")->required();
  derogation_add->add_option("--granted-by", request.granted_by, "Who granted it")->required();
  derogation_add->add_option("--from", request.from, "First day, YYYY-MM-DD")->required();
  derogation_add->add_option("--until", request.until, "Last day, YYYY-MM-DD")->required();
  derogation_add->add_option("--reference", request.reference, "Reference of the decision")
      ->required();
  derogation_add->add_option("--org-unit", request.org_unit,
                             "Limit it to this org unit and the units it encloses");
  std::string list_ministry;
  std::string list_format = "text";
  auto* derogation_list = derogation->add_subcommand("list", "List the derogation register");
  shared.AddTo(derogation_list);
  derogation_list->add_option("--ministry", list_ministry, "Only this ministry");
  derogation_list->add_option("--format", list_format, "text (French) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::int64_t revoke_id = 0;
  auto* derogation_revoke = derogation->add_subcommand(
      "revoke", "Revoke a derogation and re-evaluate the ministry's hosts");
  shared.AddTo(derogation_revoke);
  derogation_revoke->add_option("--id", revoke_id, "Derogation number")->required();

  auto* host = app.add_subcommand("host", "Place hosts in the organisation");
  host->require_subcommand(1);
  std::string host_name;
  std::string host_org_unit;
  auto* host_move = host->add_subcommand(
      "move", "Put a host in another org unit of its ministry (recorded with who and when)");
  shared.AddTo(host_move);
  host_move->add_option("--host", host_name, "Host name or host id")->required();
  host_move->add_option("--org-unit", host_org_unit, "Org unit id; \"\" for none")->required();

  auto* org_unit = app.add_subcommand("org-unit", "Show the organisation");
  org_unit->require_subcommand(1);
  std::string org_unit_ministry;
  auto* org_unit_list = org_unit->add_subcommand(
      "list", "Print each ministry's org units with their hosts by verdict");
  shared.AddTo(org_unit_list);
  org_unit_list->add_option("--ministry", org_unit_ministry, "Only this ministry");

  auto* user = app.add_subcommand("user", "Manage dashboard accounts and API tokens");
  user->require_subcommand(1);
  UserRequest user_request;
  auto* user_add = user->add_subcommand(
      "add", "Create an account; the password is read from the terminal or stdin, never argv");
  shared.AddTo(user_add);
  user_add->add_option("--name", user_request.name, "Account name")->required();
  user_add->add_option("--role", user_request.role, "admin, interministerial or ministry")
      ->required();
  user_add->add_option("--ministry", user_request.ministry,
                       "Ministry code (ministry accounts only)");
  std::string user_name;
  auto* user_remove = user->add_subcommand("remove", "Delete an account and its API tokens");
  shared.AddTo(user_remove);
  user_remove->add_option("--name", user_name, "Account name")->required();
  auto* user_list = user->add_subcommand("list", "List the accounts");
  shared.AddTo(user_list);
  auto* user_token = user->add_subcommand("token", "API tokens for scripts");
  user_token->require_subcommand(1);
  std::string token_label;
  auto* token_add =
      user_token->add_subcommand("add", "Create an API token acting with an account's role");
  shared.AddTo(token_add);
  token_add->add_option("--name", user_name, "Account name")->required();
  token_add->add_option("--label", token_label, "What the token is for")->required();
  auto* token_list = user_token->add_subcommand("list", "List API tokens (never their secrets)");
  shared.AddTo(token_list);
  std::int64_t token_id = 0;
  auto* token_revoke = user_token->add_subcommand("revoke", "Revoke an API token");
  shared.AddTo(token_revoke);
  token_revoke->add_option("--id", token_id, "Token number")->required();

  auto* enroll_token =
      app.add_subcommand("token", "Manage the enrollment tokens agents enroll with");
  enroll_token->require_subcommand(1);
  TokenRequest enroll_token_request;
  int enroll_token_expires_days = 0;
  std::int64_t enroll_token_uses = 0;
  auto* enroll_token_create = enroll_token->add_subcommand(
      "create", "Create a token (printed once) that enrolls agents into a ministry");
  shared.AddTo(enroll_token_create);
  enroll_token_create->add_option("--ministry", enroll_token_request.ministry, "Ministry code")
      ->required();
  enroll_token_create->add_option("--org-unit", enroll_token_request.org_unit,
                                  "Org unit id (from the ministries file) the agents go to");
  auto* enroll_token_expires = enroll_token_create->add_option(
      "--expires", enroll_token_expires_days, "Days until the token expires");
  auto* enroll_token_max_uses = enroll_token_create->add_option("--uses", enroll_token_uses,
                                                                "How many enrollments it allows");
  std::string enroll_token_list_ministry;
  std::string enroll_token_list_format = "text";
  auto* enroll_token_list =
      enroll_token->add_subcommand("list", "List the tokens (never their full text)");
  shared.AddTo(enroll_token_list);
  enroll_token_list->add_option("--ministry", enroll_token_list_ministry, "Only this ministry");
  enroll_token_list->add_option("--format", enroll_token_list_format, "text (French) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::int64_t enroll_token_revoke_id = 0;
  auto* enroll_token_revoke =
      enroll_token->add_subcommand("revoke", "Revoke a token: it enrolls nobody any more");
  shared.AddTo(enroll_token_revoke);
  enroll_token_revoke->add_option("--id", enroll_token_revoke_id, "Token number")->required();

  auto* agent = app.add_subcommand("agent", "List and revoke enrolled agents");
  agent->require_subcommand(1);
  std::string agent_list_ministry;
  std::string agent_list_format = "text";
  auto* agent_list = agent->add_subcommand(
      "list", "List the agents: ministry, host, enrollment, last report, revocation");
  shared.AddTo(agent_list);
  agent_list->add_option("--ministry", agent_list_ministry, "Only this ministry");
  agent_list->add_option("--format", agent_list_format, "text (French) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  std::string agent_revoke_id;
  auto* agent_revoke = agent->add_subcommand(
      "revoke", "Revoke an agent: its secret stops working at once; its host and history stay");
  shared.AddTo(agent_revoke);
  agent_revoke->add_option("AGENT_ID", agent_revoke_id, "Agent id (see agent list)")->required();

  auto* report = app.add_subcommand("report", "Compliance reports for the hierarchy");
  report->require_subcommand(1);
  auto* report_run = report->add_subcommand(
      "run", "Write one compliance report (XLSX, CSV or HTML, in French) now");
  shared.AddTo(report_run);
  std::string report_ministry;
  bool report_all = false;
  std::string report_format;
  std::string report_out;
  std::string report_date;
  std::string report_period = "monthly";
  int report_expiring_days = 60;
  auto* report_ministry_option =
      report_run->add_option("--ministry", report_ministry, "Ministry code");
  report_run->add_flag("--all", report_all, "Every ministry (interministerial report)")
      ->excludes(report_ministry_option);
  report_run->add_option("--format", report_format, "xlsx, csv or html")
      ->check(CLI::IsMember({"xlsx", "csv", "html"}))
      ->required();
  bool report_archive = false;
  auto* report_out_option =
      report_run->add_option("--out", report_out, "File to write (replaced once complete)");
  report_run
      ->add_flag("--archive", report_archive,
                 "Write into the report archive (--report-archive-directory) and record it, "
                 "listed and downloadable in the dashboard")
      ->excludes(report_out_option);
  track_archive_directory(report_run);
  track_host_names(report_run);
  report_run->add_option("--date", report_date,
                         "Last day of the period covered, YYYY-MM-DD (default: today)");
  report_run->add_option("--period", report_period, "daily, weekly or monthly")
      ->check(CLI::IsMember({"daily", "weekly", "monthly"}))
      ->capture_default_str();
  report_run
      ->add_option("--expiring-days", report_expiring_days,
                   "Flag derogations ending within this many days")
      ->check(CLI::Range(1, kMaxSettingDays))
      ->capture_default_str();

  auto* demo_fleet = app.add_subcommand(
      "demo-fleet", "Fill a new database with a simulated fleet and its history (demonstration)");
  shared.AddTo(demo_fleet);
  std::string demo_scans;
  DemoFleetOptions demo_options;
  demo_fleet
      ->add_option("--scans", demo_scans,
                   "Directory of host templates: vigie-agent scan --root HOST --format json")
      ->required();
  demo_fleet->add_option("--hosts", demo_options.hosts, "Hosts to simulate")
      ->check(CLI::Range(1, 2'000'000))
      ->capture_default_str();
  demo_fleet->add_option("--weeks", demo_options.weeks, "Weeks of history up to today")
      ->check(CLI::Range(1, 104))
      ->capture_default_str();
  demo_fleet->add_option("--seed", demo_options.seed, "Random seed (same seed, same fleet)")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (demo_fleet->parsed()) {
    return RunCommand(
        shared,
        [&](Workspace& workspace) -> Result<std::string> {
          auto templates = LoadScanOutputs(demo_scans);
          if (!templates.ok()) return templates.status();
          auto outcome = GenerateDemoFleet(*workspace.store, *workspace.deployment, *templates,
                                           demo_options, Now());
          if (!outcome.ok()) return outcome.status();
          return DemoFleetToText(*outcome);
        },
        Store::Mode::kCreate);
  }

  if (user->parsed()) {
    return RunUserCommand(
        shared, [&](UserDirectory& users, const Deployment& deployment) -> Result<std::string> {
          if (user_add->parsed()) {
            auto password = ReadPassword(stdin);
            if (!password.ok()) return password.status();
            return AddUser(users, user_request, deployment.ministries(), *password, Now());
          }
          if (user_remove->parsed()) return RemoveUser(users, user_name);
          if (user_list->parsed()) return ListUsers(users);
          if (token_add->parsed()) return AddToken(users, user_name, token_label, Now());
          if (token_list->parsed()) return ListTokens(users);
          return RevokeToken(users, token_id);
        });
  }

  if (enroll_token_create->parsed()) {
    if (enroll_token_expires->count())
      enroll_token_request.expires_in_days = enroll_token_expires_days;
    if (enroll_token_max_uses->count()) enroll_token_request.max_uses = enroll_token_uses;
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return CreateTokenCommand(*workspace.registry, enroll_token_request,
                                workspace.deployment->ministries(), CurrentActor(), Now());
    });
  }
  if (enroll_token_revoke->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return RevokeTokenCommand(*workspace.registry, enroll_token_revoke_id, CurrentActor(), Now());
    });
  }
  if (enroll_token_list->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      auto tokens = workspace.registry->ListTokens(enroll_token_list_ministry);
      if (!tokens.ok()) return tokens.status();
      return enroll_token_list_format == "json" ? TokensToJson(*tokens, Now()) + "\n"
                                                : TokensToText(*tokens, Now());
    });
  }
  if (agent_list->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      auto agents = workspace.registry->ListAgents(agent_list_ministry);
      if (!agents.ok()) return agents.status();
      return agent_list_format == "json" ? AgentsToJson(*agents) + "\n" : AgentsToText(*agents);
    });
  }
  if (agent_revoke->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return RevokeAgentCommand(*workspace.registry, agent_revoke_id, CurrentActor(), Now());
    });
  }
  if (report_run->parsed()) {
    if (report_ministry.empty() && !report_all) {
      return Fail(InvalidArgument("indiquez --ministry CODE ou --all"));
    }
    if (report_out.empty() && !report_archive) {
      return Fail(InvalidArgument("indiquez --out FICHIER ou --archive"));
    }
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      auto settings = shared.Resolve();
      if (!settings.ok()) return settings.status();
      auto shared_settings = ReportDefaults(*settings, *workspace.store);
      if (!shared_settings.ok()) return shared_settings.status();
      ReportRequest wanted = *shared_settings;
      wanted.ministry = report_ministry;
      wanted.last_day = Today(Now());
      if (!report_date.empty()) {
        auto day = ParseIsoDate(report_date);
        if (!day.ok()) {
          return InvalidArgument("date invalide « " + report_date + " » : attendu AAAA-MM-JJ");
        }
        wanted.last_day = *day;
      }
      auto period = ParseReportPeriod(report_period);
      if (!period.ok()) return period.status();
      wanted.period = *period;
      wanted.expiring_within_days = report_expiring_days;
      auto written_as = ParseReportFormat(report_format);
      if (!written_as.ok()) return written_as.status();
      auto built =
          BuildComplianceReport(*workspace.store, workspace.deployment->rules(), Now(), wanted);
      if (!built.ok()) return built.status();
      if (!report_archive) {
        VIGIE_RETURN_IF_ERROR(WriteReport(*built, *written_as, report_out));
        return "Rapport écrit : " + report_out + "\n";
      }
      ArchivedReport archived;
      archived.ministry = wanted.ministry;
      archived.period = wanted.period;
      archived.first_day = built->first_day;
      archived.last_day = built->last_day;
      archived.format = *written_as;
      archived.path = ArchivedReportPath(settings->report_archive_directory, wanted.ministry,
                                         wanted.period, wanted.last_day, *written_as);
      archived.produced_at = Now();
      auto archive = ReportArchive::Open(settings->database);
      if (!archive.ok()) return archive.status();
      VIGIE_RETURN_IF_ERROR(WriteReport(*built, *written_as, archived.path));
      auto id = archive->Record(archived);
      if (!id.ok()) return id.status();
      return "Rapport écrit et archivé (n° " + std::to_string(*id) + ") : " + archived.path + "\n";
    });
  }

  if (derogation_add->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      const Deployment& deployment = *workspace.deployment;
      auto checked = CheckDerogationRequest(request, deployment.policy(), deployment.ministries());
      if (!checked.ok()) return checked.status();
      return AddDerogation(*workspace.store, *checked, deployment.rules(), CurrentActor(), Now());
    });
  }
  if (derogation_revoke->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return RevokeDerogation(*workspace.store, revoke_id, workspace.deployment->rules(),
                              CurrentActor(), Now());
    });
  }
  if (derogation_list->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      auto records = workspace.store->ListDerogations(list_ministry);
      if (!records.ok()) return records.status();
      return list_format == "json" ? DerogationsToJson(*records, Today(Now())) + "\n"
                                   : DerogationsToText(*records, Today(Now()));
    });
  }
  if (host_move->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return MoveHost(*workspace.store, workspace.deployment->ministries(), host_name,
                      host_org_unit, CurrentActor(), Now());
    });
  }
  if (org_unit_list->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      return OrgUnitsToText(*workspace.store, workspace.deployment->ministries(),
                            org_unit_ministry);
    });
  }
  if (summary->parsed()) {
    return RunCommand(shared, [&](Workspace& workspace) -> Result<std::string> {
      auto settings = shared.Resolve();
      if (!settings.ok()) return settings.status();
      summary_options.stale_after_days = settings->stale_after_days;
      auto built =
          BuildSummary(*workspace.store, workspace.deployment->rules(), Now(), summary_options);
      if (!built.ok()) return built.status();
      return format == "json" ? SummaryToJson(*built) + "\n" : SummaryToText(*built);
    });
  }

  auto settings = shared.Resolve();
  if (!settings.ok()) return Fail(settings.status());
  auto schedules = LoadReportSchedules(shared.config(), settings->report_archive_directory);
  if (!schedules.ok()) return Fail(schedules.status());
  return Serve(*settings, std::move(schedules).value());
}
