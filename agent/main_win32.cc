// vigie-agent.exe, the MinGW build: scans this Windows workstation and runs as a Windows
// service. Sending reports needs gRPC, which only the production MSVC build links
// (docs/windows.md), so this executable has `scan`, `service` and `configure`, and no `run` or
// `enroll`: its service keeps each scan's report in its state folder.
#include <windows.h>

#include <CLI/CLI.hpp>
// After windows.h, which it needs.
#include <shellapi.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "agent/report_text.h"
#include "agent/win32_agent_state.h"
#include "agent/win32_error.h"
#include "agent/windows/config_update.h"
#include "agent/windows/live_scan.h"
#include "agent/windows/private_directory.h"
#include "agent/windows/service.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "common/report_json.h"
#include "common/version.h"

namespace vigie::embedded {
std::string_view DefaultWindowsAgentConfig();
}  // namespace vigie::embedded

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
  ScanRequest request;
  request.ministry = flags.ministry;
  auto report = ScanThisComputer(*key, request);
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

struct ConfigureFlags {
  std::string config;
  std::string collector;
  std::string token;
  std::string ca;
};

// What the installer runs (its COLLECTOR, TOKEN and CA_FILE properties): the service's folder,
// closed to everyone but SYSTEM and Administrators, and its configuration.
int RunConfigure(const ConfigureFlags& flags) {
  auto directory = ServiceDirectory();
  if (!directory.ok()) return Fail(directory.status());
  if (Status made = MakePrivateDirectory(*directory); !made.ok()) return Fail(made);
  const std::string path = flags.config.empty() ? *directory + "\\agent.toml" : flags.config;
  const Status updated =
      UpdateConfigFile(path, embedded::DefaultWindowsAgentConfig(),
                       {{"collector", flags.collector}, {"token", flags.token}, {"ca", flags.ca}});
  if (!updated.ok()) return Fail(updated);
  return 0;
}

}  // namespace
}  // namespace vigie::agent

int main() {
  using namespace vigie;
  using namespace vigie::agent;

  // The arguments in UTF-8, as every string of the program, whatever the ANSI code page that
  // main's argv would be in (msiexec passes the installer's properties, a French CA path...).
  int argc = 0;
  wchar_t** wide_argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  std::vector<std::string> arguments;
  for (int i = 0; i < argc; ++i) arguments.push_back(Narrow(wide_argv[i]));
  LocalFree(wide_argv);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());

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

  std::string service_config;
  auto* service = app.add_subcommand(
      "service", "The Windows service's entry point (started by the service control manager)");
  service->add_option("--config", service_config,
                      "Configuration file (default: %ProgramData%\\Vigie\\agent.toml)");

  ConfigureFlags configure_flags;
  auto* configure = app.add_subcommand(
      "configure",
      "Create %ProgramData%\\Vigie (SYSTEM and Administrators only) and set keys of its "
      "agent.toml (what the installer runs); empty values change nothing");
  configure->add_option("--config", configure_flags.config,
                        "Configuration file (default: %ProgramData%\\Vigie\\agent.toml)");
  configure->add_option("--collector", configure_flags.collector, "The collector, HOST:PORT");
  configure->add_option("--token", configure_flags.token, "Enrollment token");
  configure->add_option("--ca", configure_flags.ca, "PEM CA of the collector's certificate");

  CLI11_PARSE(app, argc, argv.data());

  if (Status status = SetupLogging(LogStyle::kConsole, log_level); !status.ok()) {
    return Fail(status);
  }
  if (service->parsed()) {
    const Status served = RunAsService(service_config);
    return served.ok() ? 0 : Fail(served);
  }
  if (configure->parsed()) return RunConfigure(configure_flags);
  return RunScan(scan_flags);
}
