// vigie-agent.exe, the MinGW build: scans this Windows workstation and runs as a Windows
// service. Sending reports needs gRPC, which only the production MSVC build links
// (docs/windows.md), so this executable has `scan` and `service` and no `run` or `enroll`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "agent/report_text.h"
#include "agent/scanner.h"
#include "agent/win32_agent_state.h"
#include "agent/win32_system_view.h"
#include "common/crypto.h"
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
  std::string format = "text";
  bool explain = false;
  std::string ministry;
  std::string state_dir;
};

int RunScan(const ScanFlags& flags) {
  // Without a state directory the pseudonyms are for this scan only, as in the native build.
  auto key = flags.state_dir.empty() ? RandomHex(32) : ReadPseudonymKey(flags.state_dir);
  if (!key.ok()) return Fail(key.status());
  auto view = Win32SystemView::Live();
  if (!view.ok()) return Fail(view.status());
  ProbeOptions options;
  options.pseudonym_key = *key;
  const auto probes = ProbesFor((*view)->machine().os_family, options);
  ScanRequest request;
  request.ministry = flags.ministry;
  auto report = Scan(**view, probes, request);
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
  auto* scan = app.add_subcommand("scan", "Scan and print the report; sends nothing");
  scan->add_option("--format", scan_flags.format,
                   "text (French, for people) or json (the proto JSON mapping)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  scan->add_option("--ministry", scan_flags.ministry, "Ministry code to state in the report");
  scan->add_option("--state-dir", scan_flags.state_dir,
                   "Take the pseudonym key from this state directory (default: a key for this "
                   "scan only)");
  scan->add_flag("--explain", scan_flags.explain,
                 "Explain in French each finding and the verdict (instead of --format)")
      ->excludes(scan->get_option("--format"));

  CLI11_PARSE(app, argc, argv);

  if (Status status = SetupLogging(LogStyle::kConsole, log_level); !status.ok()) {
    return Fail(status);
  }
  return RunScan(scan_flags);
}
