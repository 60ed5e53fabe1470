// vigie-agent: scans this workstation (or a fixture host) for Microsoft 365 cloud use and
// reports to a Vigie collector.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "agent/agent_config.h"
#include "agent/agent_state.h"
#include "agent/enrollment.h"
#include "agent/host_identity.h"
#include "agent/posix_system_view.h"
#include "agent/probes/browser_history_probe.h"
#include "agent/report_text.h"
#include "agent/scanner.h"
#include "agent/uplink.h"
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

Result<InventoryReport> ScanOnce(const ScanFlags& flags) {
  auto view = OpenView(flags.root);
  if (!view.ok()) return view.status();
  ProbeOptions options;
  options.pseudonym_key = flags.pseudonym_key;
  options.browser_history = flags.browser_history;
  options.history_days = flags.history_days;
  const auto probes = ProbesFor(view->machine().os_family, options);
  return Scan(*view, probes, {.ministry = flags.ministry});
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

Result<AgentIdentity> EnrollAndSave(const AgentState& state, const std::string& token,
                                    const std::string& root, const UplinkOptions& uplink) {
  auto view = OpenView(root);
  if (!view.ok()) return view.status();
  auto host = IdentifyHost(*view);
  if (!host.ok()) return host.status();
  auto identity = Enroll(token, *host, uplink);
  if (!identity.ok()) return identity.status();
  VIGIE_RETURN_IF_ERROR(state.SaveIdentity(*identity));
  std::cout << "Poste " << host->hostname << " enrôlé auprès de " << uplink.collector << " pour "
            << identity->ministry
            << (identity->org_unit.empty() ? "" : " (unité " + identity->org_unit + ")")
            << " : agent " << identity->agent_id << ", identité dans " << state.dir()
            << "/identity.toml\n";
  return identity;
}

int RunEnroll(const AgentState& state, const std::string& token, const std::string& root,
              const UplinkOptions& uplink) {
  auto identity = EnrollAndSave(state, token, root, uplink);
  return identity.ok() ? 0 : Fail(identity.status());
}

int RunOnce(ScanFlags scan_flags, const AgentState& state, const std::string& token,
            UplinkOptions uplink) {
  auto identity = state.LoadIdentity();
  if (!identity.ok()) return Fail(identity.status());
  if (uplink.collector.empty() && *identity) uplink.collector = (*identity)->collector;
  if (uplink.collector.empty()) {
    return Fail(InvalidArgument("no collector: pass --collector HOST:PORT"));
  }
  if (!*identity) {
    if (token.empty()) {
      return Fail(FailedPrecondition("this agent is not enrolled (no identity in " + state.dir() +
                                     "): run vigie-agent enroll --token TOKEN, or pass --token"));
    }
    auto enrolled = EnrollAndSave(state, token, scan_flags.root, uplink);
    if (!enrolled.ok()) return Fail(enrolled.status());
    *identity = *enrolled;
  }
  auto key = state.PseudonymKey(scan_flags.pseudonym_key);
  if (!key.ok()) return Fail(key.status());
  scan_flags.pseudonym_key = *key;
  scan_flags.ministry = (*identity)->ministry;
  auto report = ScanOnce(scan_flags);
  if (!report.ok()) return Fail(report.status());
  auto delivery = SendReport(*report, (*identity)->agent_id, (*identity)->secret, uplink);
  if (!delivery.ok()) return Fail(delivery.status());
  std::cout << "Rapport " << report->report_id << " envoyé à " << uplink.collector
            << (delivery->duplicate ? " (déjà reçu)" : "") << " : "
            << FrenchLabel(delivery->verdict.status) << "\n";
  return 0;
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

  bool once = false;
  auto* run = app.add_subcommand("run", "Scan and send the report to the collector");
  add_scan_options(run);
  add_uplink_options(run);
  run->add_flag("--once", once, "Scan and send once, then exit")->required();
  run->add_option("--collector", uplink.collector,
                  "Collector gRPC address, HOST:PORT (default: the one enrolled with)");
  run->add_option("--token", token, "Enroll first with this token when not enrolled yet");

  CLI11_PARSE(app, argc, argv);

  if (Status status = SetupLogging(LogStyle::kConsole, log_level); !status.ok()) {
    std::fprintf(stderr, "vigie-agent: error: %s\n", status.message().c_str());
    return 1;
  }
  if (scan->parsed()) return RunScan(scan_flags, state_dir);
  CLI::App* command = enroll->parsed() ? enroll : run;
  if (config_file.empty() && ::access(kDefaultConfigFile, F_OK) == 0) {
    config_file = kDefaultConfigFile;
  }
  if (!config_file.empty()) {
    auto config = LoadAgentConfig(config_file);
    if (!config.ok()) return Fail(config.status());
    // The file fills in what the command line did not say.
    const auto fill = [&](const char* flag, const auto& value, auto& out) {
      if (value && command->count(flag) == 0) out = *value;
    };
    fill("--collector", config->collector, uplink.collector);
    fill("--ca", config->ca, uplink.ca_file);
    fill("--tls-cert", config->tls_cert, uplink.client_cert_file);
    fill("--tls-key", config->tls_key, uplink.client_key_file);
    fill("--insecure", config->insecure, uplink.insecure);
    fill("--state-dir", config->state_dir, state_dir);
    fill("--token", config->token, token);
    fill("--timeout", config->timeout, timeout_seconds);
    if (config->pseudonym_key) scan_flags.pseudonym_key = *config->pseudonym_key;
    if (config->log_level && app.count("--log-level") == 0) {
      if (Status status = SetupLogging(LogStyle::kConsole, *config->log_level); !status.ok()) {
        return Fail(status.Annotate(config_file + ": log-level"));
      }
    }
  }
  if (enroll->parsed() && (uplink.collector.empty() || token.empty())) {
    return Fail(InvalidArgument(
        "enroll needs --collector and --token (or collector and token in the configuration)"));
  }
  uplink.timeout = std::chrono::seconds(timeout_seconds);
  if (Status status = CheckUplinkOptions(uplink); !status.ok()) return Fail(status);
  const AgentState state(state_dir.empty() ? kDefaultStateDir : state_dir);
  if (enroll->parsed()) return RunEnroll(state, token, scan_flags.root, uplink);
  return RunOnce(scan_flags, state, token, uplink);
}
