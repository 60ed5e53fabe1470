// vigie-agent: scans this workstation (or a fixture host) for Microsoft 365 cloud use and
// reports to a Vigie collector.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "agent/posix_system_view.h"
#include "agent/probes/browser_history_probe.h"
#include "agent/report_text.h"
#include "agent/scanner.h"
#include "agent/uplink.h"
#include "common/crypto.h"
#include "common/enums.h"
#include "common/logging.h"
#include "common/ministries.h"
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
  std::string ministry;
  bool browser_history = false;
  int history_days = 30;
};

Result<InventoryReport> ScanOnce(const ScanFlags& flags) {
  auto view = flags.root.empty() ? PosixSystemView::Live() : PosixSystemView::ForRoot(flags.root);
  if (!view.ok()) return view.status();
  // Until the agent has a state directory to keep it in (issue #7), the pseudonym key lives as
  // long as the process: pseudonyms are stable within a report, not across reports.
  auto pseudonym_key = RandomHex(32);
  if (!pseudonym_key.ok()) return pseudonym_key.status();
  ProbeOptions options;
  options.pseudonym_key = *pseudonym_key;
  options.browser_history = flags.browser_history;
  options.history_days = flags.history_days;
  const auto probes = ProbesFor(view->machine().os_family, options);
  return Scan(*view, probes, {.ministry = flags.ministry});
}

int RunScan(const ScanFlags& flags) {
  auto report = ScanOnce(flags);
  if (!report.ok()) return Fail(report.status());
  if (flags.format == "json") {
    std::cout << ReportToJson(*report, /*pretty=*/true) << "\n";
  } else {
    std::cout << ReportToText(*report);
  }
  return 0;
}

int RunOnce(const ScanFlags& scan_flags, const UplinkOptions& uplink) {
  auto report = ScanOnce(scan_flags);
  if (!report.ok()) return Fail(report.status());
  auto delivery = SendReport(*report, uplink);
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

  UplinkOptions uplink;
  bool once = false;
  int timeout_seconds = 30;
  auto* run = app.add_subcommand("run", "Scan and send the report to a collector");
  add_scan_options(run);
  run->add_flag("--once", once, "Scan and send once, then exit")->required();
  run->add_option("--collector", uplink.collector, "Collector gRPC address, HOST:PORT")->required();
  run->add_option("--ministry", scan_flags.ministry,
                  "Ministry code of this workstation, e.g. MEFSIN")
      ->required()
      ->check([](const std::string& code) {
        return IsWellFormedMinistryCode(code)
                   ? std::string()
                   : "a ministry code has 2 to 32 characters among A-Z, 0-9, _ and -";
      });
  run->add_option("--ca", uplink.ca_file,
                  "PEM CA the collector's certificate must chain to (the ministry's PKI)")
      ->check(CLI::ExistingFile);
  run->add_option("--tls-cert", uplink.client_cert_file,
                  "PEM client certificate, for a collector requiring mutual TLS")
      ->check(CLI::ExistingFile);
  run->add_option("--tls-key", uplink.client_key_file, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  run->add_flag("--insecure", uplink.insecure,
                "Send in plain text (trusted loopback or lab network only)");
  run->add_option("--timeout", timeout_seconds, "Seconds to wait for the collector")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (Status status = SetupLogging(LogStyle::kConsole, log_level); !status.ok()) {
    std::fprintf(stderr, "vigie-agent: error: %s\n", status.message().c_str());
    return 1;
  }
  if (scan->parsed()) return RunScan(scan_flags);
  uplink.timeout = std::chrono::seconds(timeout_seconds);
  return RunOnce(scan_flags, uplink);
}
