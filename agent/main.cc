// vigie-agent: scans this workstation (or a fixture host) for Microsoft 365 cloud use and
// reports to a Vigie collector.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "agent/agent_config.h"
#include "agent/agent_logging.h"
#include "agent/agent_runner.h"
#include "agent/agent_state.h"
#include "agent/host_identity.h"
#include "agent/posix_system_view.h"
#include "agent/probes/browser_history_probe.h"
#include "agent/report_text.h"
#include "agent/scan_child.h"
#include "agent/scan_step.h"
#include "agent/scanner.h"
#include "agent/spool.h"
#include "agent/uplink_options.h"
#include "agent/uplink_process.h"
#include "common/crypto.h"
#include "common/enums.h"
#include "common/logging.h"
#include "common/report_json.h"
#include "common/version.h"

namespace vigie::agent {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "vigie-agent: error: %s\n", status.message().c_str());
  return 1;
}

struct ScanFlags {
  std::string root;
  std::string format = "text";
  bool explain = false;
  std::string ministry;
  bool browser_history = false;
  int history_days = 30;
  std::string pseudonym_key;
};

Result<PosixSystemView> OpenView(const std::string& root) {
  return root.empty() ? PosixSystemView::Live() : PosixSystemView::ForRoot(root);
}

Result<InventoryReport> ScanOnce(const ScanFlags& flags, const ScanRequest& request = {}) {
  auto view = OpenView(flags.root);
  if (!view.ok()) return view.status();
  ProbeOptions options;
  options.pseudonym_key = flags.pseudonym_key;
  options.browser_history = flags.browser_history;
  options.history_days = flags.history_days;
  const auto probes = ProbesFor(view->machine().os_family, options);
  ScanRequest scan = request;
  scan.ministry = flags.ministry;
  return Scan(*view, probes, scan);
}

int RunScan(ScanFlags flags, const std::string& state_dir) {
  // An offline scan prints pseudonyms only for the person running it: without a state
  // directory, a key for this process is enough.
  auto key = state_dir.empty() ? RandomHex(32) : AgentState(state_dir).PseudonymKey("");
  if (!key.ok()) return Fail(key.status());
  flags.pseudonym_key = *key;
  auto report = ScanOnce(flags);
  if (!report.ok()) return Fail(report.status());
  if (flags.explain) {
    std::cout << ExplainReport(*report);
  } else if (flags.format == "json") {
    std::cout << ReportToJson(*report, /*pretty=*/true) << "\n";
  } else {
    std::cout << ReportToText(*report);
  }
  return 0;
}

// The uplink process's settings for this agent; `host` only matters to enroll.
UplinkProcess::Settings UplinkSettings(const AgentState& state, const std::string& token,
                                       const std::string& root, const UplinkOptions& uplink,
                                       Result<HostIdentity>* host) {
  UplinkProcess::Settings settings;
  settings.uplink = uplink;
  settings.state_dir = state.dir();
  settings.token = token;
  if (!token.empty()) {
    auto view = OpenView(root);
    *host = view.ok() ? IdentifyHost(*view) : Result<HostIdentity>(view.status());
    if (host->ok()) settings.host = **host;
  }
  return settings;
}

int RunEnroll(const AgentState& state, const std::string& token, const std::string& root,
              const UplinkOptions& uplink) {
  Result<HostIdentity> host = InvalidArgument("no token");
  UplinkProcess enroller(UplinkSettings(state, token, root, uplink, &host));
  if (!host.ok()) return Fail(host.status());
  if (Status enrolled = enroller.Enroll(); !enrolled.ok()) return Fail(enrolled);
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return Fail(identity.status());
  if (!*identity) return Fail(Internal("vigie-agent-uplink enrolled but wrote no identity"));
  std::cout << "Poste " << host->hostname << " enrôlé auprès de " << uplink.collector << " pour "
            << (*identity)->ministry
            << ((*identity)->org_unit.empty() ? "" : " (unité " + (*identity)->org_unit + ")")
            << " : agent " << (*identity)->agent_id << ", identité dans " << state.dir()
            << "/identity.toml\n";
  return 0;
}

// The service's settings beyond the uplink: timing, spool bounds, logging.
struct ServiceFlags {
  bool once = false;
  std::int64_t first_scan_delay = 600;
  std::int64_t scan_period = 43200;
  std::int64_t scan_budget = 300;
  std::int64_t retry_initial = 30;
  std::int64_t retry_max = 3600;
  std::int64_t spool_max_reports = 1000;
  std::int64_t spool_max_mib = 64;
  std::string log_target = "auto";
};

// The exit code of `run --once` when the report was kept in the spool but not delivered.
constexpr int kExitNotDelivered = 2;

// The command line of the service's scan child (ScanInChild): the scan flags and where to
// spool; the pseudonym key goes in its environment.
std::vector<std::string> ScanChildArguments(const ScanFlags& flags, const AgentState& state,
                                            const ServiceFlags& service,
                                            const std::string& log_level) {
  std::vector<std::string> args = {"--log-level",
                                   log_level,
                                   kScanIntoSpoolCommand,
                                   "--state-dir",
                                   state.dir(),
                                   "--history-days",
                                   std::to_string(flags.history_days),
                                   "--spool-max-reports",
                                   std::to_string(service.spool_max_reports),
                                   "--spool-max-mib",
                                   std::to_string(service.spool_max_mib),
                                   "--log-target",
                                   service.log_target};
  if (!flags.root.empty()) args.insert(args.end(), {"--root", flags.root});
  if (flags.browser_history) args.push_back("--with-browser-history");
  return args;
}

// `scan-into-spool`, the service's scan child: one scan into the spool; prints the report id
// (and the payload when the spool could not keep it).
int RunScanIntoSpool(ScanFlags flags, const AgentState& state, const ServiceFlags& service,
                     std::int64_t budget_ms, std::int64_t write_failures) {
  // The deployment's key, or none: then the state directory's, made here on first use, so that
  // the waiting service never initialises libcrypto's random generator.
  const char* configured = std::getenv(kPseudonymKeyVariable);
  auto key = state.PseudonymKey(configured ? configured : "");
  if (!key.ok()) return Fail(key.status());
  flags.pseudonym_key = *key;
  if (auto identity = state.LoadIdentity(); identity.ok() && *identity) {
    flags.ministry = (*identity)->ministry;
  }
  Spool::Limits limits;
  limits.max_reports = service.spool_max_reports;
  limits.max_bytes = service.spool_max_mib << 20;
  auto spool = Spool::Open(state.dir() + "/spool.db", limits);
  if (!spool.ok()) return Fail(spool.status());
  ScanRequest request;
  request.budget = std::chrono::milliseconds(budget_ms);
  auto record = ScanIntoSpool(
      **spool, [&flags](const ScanRequest& r) { return ScanOnce(flags, r); }, request,
      write_failures);
  if (!record.ok()) return Fail(record.status());
  std::cout << record->report_id << "\n";
  if (!record->unspooled_payload) return 0;
  std::cout << *record->unspooled_payload;
  return kExitUnspooled;
}

int RunService(ScanFlags scan_flags, const AgentState& state, const std::string& token,
               UplinkOptions uplink, const ServiceFlags& service) {
  if (!service.once) {
    // Blocked in every thread (they inherit the mask): one thread waits for them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  }
  {
    auto saved = state.LoadIdentity();
    if (!saved.ok()) return Fail(saved.status());
    if (uplink.collector.empty() && *saved) uplink.collector = (*saved)->collector;
  }
  if (uplink.collector.empty()) {
    return Fail(InvalidArgument("no collector: pass --collector HOST:PORT"));
  }
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return Fail(identity.status());
  if (!*identity && token.empty()) {
    return Fail(FailedPrecondition("this agent is not enrolled (no identity in " + state.dir() +
                                   "): run vigie-agent enroll --token TOKEN, or pass --token"));
  }
  // A configured key is checked now; the state directory's is read (or made) by whichever
  // process scans.
  if (Status made = state.EnsureDir(); !made.ok()) return Fail(made);
  if (!scan_flags.pseudonym_key.empty() || service.once) {
    auto key = state.PseudonymKey(scan_flags.pseudonym_key);
    if (!key.ok()) return Fail(key.status());
    scan_flags.pseudonym_key = *key;
  }

  Spool::Limits limits;
  limits.max_reports = service.spool_max_reports;
  limits.max_bytes = service.spool_max_mib << 20;
  Result<HostIdentity> host = InvalidArgument("no token");
  UplinkProcess::Settings settings = UplinkSettings(state, token, scan_flags.root, uplink, &host);
  if (!token.empty() && !host.ok()) return Fail(host.status());
  settings.retry.initial = std::chrono::seconds(service.retry_initial);
  settings.retry.max = std::chrono::seconds(service.retry_max);
  settings.limits = limits;
  if (!service.once) settings.log_target = service.log_target;
  settings.log_level = spdlog::level::to_string_view(spdlog::get_level()).data();
  UplinkProcess deliverer(settings);
  // A single run enrolls before it scans, so that its report states the ministry; the service
  // enrolls on its delivery schedule, retrying, and scans meanwhile.
  if (!*identity && service.once) {
    if (Status enrolled = deliverer.Enroll(); !enrolled.ok()) return Fail(enrolled);
  }
  if (auto enrolled = state.LoadIdentity(); enrolled.ok() && *enrolled) {
    scan_flags.ministry = (*enrolled)->ministry;
  }
  auto spool = Spool::Open(state.dir() + "/spool.db", limits);
  if (!spool.ok()) return Fail(spool.status());
  RunnerOptions options;
  options.first_scan_delay = std::chrono::seconds(service.first_scan_delay);
  options.scan_period = std::chrono::seconds(service.scan_period);
  options.scan_budget = std::chrono::seconds(service.scan_budget);
  // A single run scans in its own process, which exits next; the service in a child, so that
  // it waits between scans without the scan's memory.
  ScanStep scan_step =
      service.once
          ? ScanStep([&scan_flags, &spool](const ScanRequest& request, std::int64_t failures) {
              return ScanIntoSpool(
                  **spool, [&scan_flags](const ScanRequest& r) { return ScanOnce(scan_flags, r); },
                  request, failures);
            })
          : ScanInChild(ScanChildArguments(scan_flags, state, service, settings.log_level),
                        scan_flags.pseudonym_key);
  AgentRunner runner(state, **spool, deliverer, std::move(scan_step), options);

  if (!service.once) {
    spdlog::info("vigie-agent {} started: {}, collector {}, spool {}", kVersion,
                 *identity ? "agent " + (*identity)->agent_id + " (" + (*identity)->ministry + ")"
                           : std::string("not enrolled yet"),
                 uplink.collector, (*spool)->path());
    std::thread watcher([&runner] {
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGTERM);
      sigaddset(&signals, SIGINT);
      int received = 0;
      ::sigwait(&signals, &received);
      spdlog::info("stopping on {}", received == SIGTERM ? "SIGTERM" : "SIGINT");
      runner.Stop();
    });
    const Status ran = runner.Run();
    watcher.join();
    spdlog::info("stopped");
    return ran.ok() ? 0 : Fail(ran);
  }

  auto outcome = runner.RunOnce();
  if (!outcome.ok()) return Fail(outcome.status());
  if (!outcome->scanned) return Fail(Unavailable("the scan failed: no report was made"));
  if (outcome->last_delivery) {
    const auto& [report_id, delivery] = *outcome->last_delivery;
    std::cout << "Rapport " << report_id << " envoyé à " << uplink.collector
              << (delivery.duplicate ? " (déjà reçu)" : "") << " : "
              << FrenchLabel(delivery.verdict.status) << "\n";
  }
  if (outcome->delivered_all) return 0;
  if (outcome->refused > 0) {
    std::fprintf(stderr, "vigie-agent: error: %lld rapport(s) refusé(s) par le collecteur : %s\n",
                 static_cast<long long>(outcome->refused), outcome->last_failure.message().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "vigie-agent: error: %lld rapport(s) en attente dans %s/spool.db, remis à la "
               "prochaine exécution : %s\n",
               static_cast<long long>(outcome->pending), state.dir().c_str(),
               outcome->last_failure.message().c_str());
  return kExitNotDelivered;
}

}  // namespace
}  // namespace vigie::agent

int main(int argc, char** argv) {
  using namespace vigie;
  using namespace vigie::agent;

  CLI::App app{"Vigie agent: detects Microsoft 365 cloud use on this workstation", "vigie-agent"};
  app.set_version_flag("--version", std::string("vigie-agent ") + kVersion);
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical or off")
      ->capture_default_str();

  ScanFlags scan_flags;
  std::string state_dir;
  const auto add_scan_options = [&](CLI::App* command) {
    command
        ->add_option("--root", scan_flags.root,
                     "Scan a fixture host or mounted disk at DIR instead of this machine")
        ->check(CLI::ExistingDirectory);
    command->add_flag("--with-browser-history", scan_flags.browser_history,
                      "Count visits to Microsoft 365 web services in the users' browser history "
                      "(off by default: needs the deployment's impact assessment, see "
                      "docs/privacy.md)");
    command
        ->add_option("--history-days", scan_flags.history_days,
                     "Days of browser history counted, ending now")
        ->check([](const std::string& text) {
          int days = 0;
          try {
            std::size_t used = 0;
            days = std::stoi(text, &used);
            if (used != text.size()) days = 0;
          } catch (const std::exception&) {
            days = 0;
          }
          return days >= BrowserHistoryProbe::kMinDays && days <= BrowserHistoryProbe::kMaxDays
                     ? std::string()
                     : "nombre de jours attendu entre 1 et 365, pas « " + text + " »";
        })
        ->capture_default_str();
  };

  auto* scan = app.add_subcommand("scan", "Scan and print the report; sends nothing");
  add_scan_options(scan);
  scan->add_option("--format", scan_flags.format,
                   "text (French, for people) or json (the proto JSON mapping)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  scan->add_option("--ministry", scan_flags.ministry, "Ministry code to state in the report");
  scan->add_option("--state-dir", state_dir,
                   "Take the pseudonym key from this state directory (default: a key for this "
                   "scan only)");
  scan->add_flag("--explain", scan_flags.explain,
                 "Explain in French each finding and the verdict (instead of --format)")
      ->excludes(scan->get_option("--format"));

  UplinkOptions uplink;
  int timeout_seconds = 30;
  std::string token;
  std::string config_file;
  const auto add_uplink_options = [&](CLI::App* command) {
    command
        ->add_option("--config", config_file,
                     "TOML configuration; flags override it (default: /etc/vigie/agent.toml when "
                     "present)")
        ->check(CLI::ExistingFile);
    command
        ->add_option("--ca", uplink.ca_file,
                     "PEM CA the collector's certificate must chain to (the ministry's PKI)")
        ->check(CLI::ExistingFile);
    command
        ->add_option("--tls-cert", uplink.client_cert_file,
                     "PEM client certificate, for a collector requiring mutual TLS")
        ->check(CLI::ExistingFile);
    command->add_option("--tls-key", uplink.client_key_file, "PEM private key of --tls-cert")
        ->check(CLI::ExistingFile);
    command->add_flag("--insecure", uplink.insecure,
                      "Plain-text gRPC (trusted loopback or lab network only)");
    command->add_option("--timeout", timeout_seconds, "Seconds to wait for the collector")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    command
        ->add_option("--state-dir", state_dir,
                     "Where the agent keeps its identity, secret and pseudonym key")
        ->default_str(kDefaultStateDir);
  };

  auto* enroll = app.add_subcommand(
      "enroll", "Enroll this workstation with a token from the collector's administrator");
  add_scan_options(enroll);
  add_uplink_options(enroll);
  enroll->add_option("--collector", uplink.collector, "Collector gRPC address, HOST:PORT");
  enroll->add_option("--token", token, "Enrollment token (vigie-collector token create)");

  ServiceFlags service;
  auto* run = app.add_subcommand(
      "run", "The agent as a service: scan on a schedule and deliver the reports, until stopped");
  add_scan_options(run);
  add_uplink_options(run);
  run->add_flag("--once", service.once,
                "Scan, spool and try to deliver once, then exit (0: everything delivered, 2: "
                "kept in the spool for later)");
  run->add_option("--collector", uplink.collector,
                  "Collector gRPC address, HOST:PORT (default: the one enrolled with)");
  run->add_option("--token", token, "Enroll first with this token when not enrolled yet");
  const auto add_range = [&](const char* flag, std::int64_t& out, IntegerRange range,
                             const char* help) {
    run->add_option(flag, out, help)
        ->check(CLI::Range(range.min, range.max))
        ->capture_default_str();
  };
  add_range("--first-scan-delay", service.first_scan_delay, kFirstScanDelayRange,
            "The first scan waits a random time up to this many seconds");
  add_range("--scan-period", service.scan_period, kScanPeriodRange,
            "Seconds between scans (±10 % jitter)");
  add_range("--scan-budget", service.scan_budget, kScanBudgetRange,
            "Seconds a scan may take; probes not started by then are skipped");
  add_range("--retry-initial", service.retry_initial, kRetryRange,
            "First wait after a failed delivery, in seconds; doubles up to --retry-max");
  add_range("--retry-max", service.retry_max, kRetryRange,
            "Longest wait between delivery attempts, in seconds");
  add_range("--spool-max-reports", service.spool_max_reports, kSpoolMaxReportsRange,
            "Reports kept for the collector at most; the oldest are dropped");
  add_range("--spool-max-mib", service.spool_max_mib, kSpoolMaxMibRange,
            "MiB of reports kept for the collector at most; the oldest are dropped");
  run->add_option("--log-target", service.log_target,
                  "auto (the journal under systemd, else stderr), journald, stderr or a file path")
      ->capture_default_str();

  // The service's scan child (ScanInChild); hidden from --help.
  auto* scan_into_spool =
      app.add_subcommand(kScanIntoSpoolCommand, "One scan of vigie-agent run, into its spool");
  scan_into_spool->group("");
  add_scan_options(scan_into_spool);
  std::int64_t scan_budget_ms = 0;
  std::int64_t spool_write_failures = 0;
  scan_into_spool->add_option("--state-dir", state_dir)->required();
  scan_into_spool->add_option("--scan-budget-ms", scan_budget_ms);
  scan_into_spool->add_option("--spool-write-failures", spool_write_failures);
  scan_into_spool->add_option("--spool-max-reports", service.spool_max_reports);
  scan_into_spool->add_option("--spool-max-mib", service.spool_max_mib);
  scan_into_spool->add_option("--log-target", service.log_target);

  CLI11_PARSE(app, argc, argv);

  if (Status status = SetupLogging(LogStyle::kConsole, log_level); !status.ok()) {
    std::fprintf(stderr, "vigie-agent: error: %s\n", status.message().c_str());
    return 1;
  }
  if (scan->parsed()) return RunScan(scan_flags, state_dir);
  if (scan_into_spool->parsed()) {
    if (Status logging = SetupServiceLogging(service.log_target, log_level); !logging.ok()) {
      return Fail(logging);
    }
    return RunScanIntoSpool(scan_flags, AgentState(state_dir), service, scan_budget_ms,
                            spool_write_failures);
  }
  // A service says what it does at info (one line per scan); commands only warn.
  if (run->parsed() && !service.once && app.count("--log-level") == 0) log_level = "info";
  CLI::App* command = enroll->parsed() ? enroll : run;
  if (config_file.empty() && ::access(kDefaultConfigFile, F_OK) == 0) {
    config_file = kDefaultConfigFile;
  }
  if (!config_file.empty()) {
    auto config = LoadAgentConfig(config_file);
    if (!config.ok()) return Fail(config.status());
    // The file fills in what the command line did not say.
    // `enroll` has no service flags: their keys are for `run` and change nothing here.
    const auto fill = [&](const char* flag, const auto& value, auto& out) {
      const CLI::Option* option = command->get_option_no_throw(flag);
      if (value && (option == nullptr || option->count() == 0)) out = *value;
    };
    fill("--collector", config->collector, uplink.collector);
    fill("--ca", config->ca, uplink.ca_file);
    fill("--tls-cert", config->tls_cert, uplink.client_cert_file);
    fill("--tls-key", config->tls_key, uplink.client_key_file);
    fill("--insecure", config->insecure, uplink.insecure);
    fill("--state-dir", config->state_dir, state_dir);
    fill("--token", config->token, token);
    fill("--timeout", config->timeout, timeout_seconds);
    fill("--first-scan-delay", config->first_scan_delay, service.first_scan_delay);
    fill("--scan-period", config->scan_period, service.scan_period);
    fill("--scan-budget", config->scan_budget, service.scan_budget);
    fill("--retry-initial", config->retry_initial, service.retry_initial);
    fill("--retry-max", config->retry_max, service.retry_max);
    fill("--spool-max-reports", config->spool_max_reports, service.spool_max_reports);
    fill("--spool-max-mib", config->spool_max_mib, service.spool_max_mib);
    fill("--log-target", config->log_target, service.log_target);
    if (config->pseudonym_key) scan_flags.pseudonym_key = *config->pseudonym_key;
    if (config->log_level && app.count("--log-level") == 0) log_level = *config->log_level;
  }
  const Status logging = run->parsed() && !service.once
                             ? SetupServiceLogging(service.log_target, log_level)
                             : SetupLogging(LogStyle::kConsole, log_level);
  if (!logging.ok()) {
    return Fail(config_file.empty() ? logging : logging.Annotate(config_file));
  }
  if (service.retry_max < service.retry_initial) {
    return Fail(InvalidArgument("retry-max (" + std::to_string(service.retry_max) +
                                " s) is shorter than retry-initial (" +
                                std::to_string(service.retry_initial) + " s)"));
  }
  if (enroll->parsed() && (uplink.collector.empty() || token.empty())) {
    return Fail(InvalidArgument(
        "enroll needs --collector and --token (or collector and token in the configuration)"));
  }
  uplink.timeout = std::chrono::seconds(timeout_seconds);
  if (Status status = CheckUplinkOptions(uplink); !status.ok()) return Fail(status);
  // A delivery whose uplink died must not take the agent with it on a write to its stdin.
  ::signal(SIGPIPE, SIG_IGN);
  const AgentState state(state_dir.empty() ? kDefaultStateDir : state_dir);
  if (enroll->parsed()) return RunEnroll(state, token, scan_flags.root, uplink);
  return RunService(scan_flags, state, token, uplink, service);
}
