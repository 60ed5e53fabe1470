#include "agent/windows/service.h"

#include <fmt/format.h>
#include <spdlog/sinks/win_eventlog_sink.h>
#include <spdlog/spdlog.h>
#include <windows.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>

#include "agent/agent_config.h"
#include "agent/win32_agent_state.h"
#include "agent/win32_error.h"
#include "agent/windows/live_scan.h"
#include "agent/windows/private_directory.h"
#include "common/crypto.h"
#include "common/enums.h"
#include "common/report_json.h"

namespace vigie::agent {
namespace {

// The service control manager calls back plain functions, so the running service's state is
// process-wide (a process runs one service).
struct ServiceContext {
  std::string config_file;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status{};
  HANDLE stop_event = nullptr;
  std::atomic<bool> stopping{false};
};
ServiceContext* service_context = nullptr;

void ReportStatus(DWORD state, DWORD exit_code, DWORD wait_hint_ms) {
  ServiceContext& context = *service_context;
  context.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  context.status.dwCurrentState = state;
  context.status.dwControlsAccepted =
      state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN : 0;
  context.status.dwWin32ExitCode = exit_code == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
  context.status.dwServiceSpecificExitCode = exit_code;
  context.status.dwWaitHint = wait_hint_ms;
  context.status.dwCheckPoint =
      state == SERVICE_RUNNING || state == SERVICE_STOPPED ? 0 : context.status.dwCheckPoint + 1;
  SetServiceStatus(context.handle, &context.status);
}

DWORD WINAPI ControlHandler(DWORD control, DWORD, void*, void*) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      // A scan stops before its next probe: a few seconds at most.
      ReportStatus(SERVICE_STOP_PENDING, 0, 10000);
      service_context->stopping = true;
      SetEvent(service_context->stop_event);
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

// Waits up to `duration`; false when the service is stopping.
bool Wait(std::chrono::milliseconds duration) {
  const auto ms = std::min<std::int64_t>(duration.count(), INFINITE - 1);
  return WaitForSingleObject(service_context->stop_event, static_cast<DWORD>(ms)) == WAIT_TIMEOUT;
}

Result<std::string> PseudonymKey(const AgentConfig& config, const std::string& state_dir) {
  if (config.pseudonym_key) return *config.pseudonym_key;
  auto key = ReadPseudonymKey(state_dir);
  if (key.ok() || key.status().code() != StatusCode::kNotFound) return key;
  // The first start keeps a key of its own, so that a user keeps one pseudonym across scans.
  auto fresh = RandomHex(32);
  if (!fresh.ok()) return fresh.status();
  const std::string path = state_dir + "\\pseudonym.key";
  std::ofstream file(std::filesystem::path(Wide(path)), std::ios::binary);
  file << *fresh << "\n";
  file.close();
  if (!file) return Unavailable("cannot write " + path);
  return *fresh;
}

// The last report, replaced whole so that a reader never sees half of one.
Status KeepReport(const std::string& state_dir, const InventoryReport& report) {
  const std::string path = state_dir + "\\last-report.json";
  const std::string temporary = path + ".new";
  {
    std::ofstream file(std::filesystem::path(Wide(temporary)), std::ios::binary);
    file << ReportToJson(report, /*pretty=*/true) << "\n";
    file.close();
    if (!file) return Unavailable("cannot write " + temporary);
  }
  if (!MoveFileExW(Wide(temporary).c_str(), Wide(path).c_str(),
                   MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    return Win32Error(GetLastError(), "cannot replace " + path);
  }
  return Status();
}

Status Serve() {
  auto directory = ServiceDirectory();
  if (!directory.ok()) return directory.status();
  VIGIE_RETURN_IF_ERROR(MakePrivateDirectory(*directory));
  const std::string config_file = service_context->config_file.empty()
                                      ? *directory + "\\agent.toml"
                                      : service_context->config_file;
  AgentConfig config;
  if (auto loaded = LoadAgentConfig(config_file); loaded.ok()) {
    config = *loaded;
  } else if (loaded.status().code() == StatusCode::kNotFound) {
    spdlog::warn("{} does not exist: default settings", config_file);
  } else {
    return loaded.status();
  }
  const std::string state_dir = config.state_dir.value_or(*directory);
  VIGIE_RETURN_IF_ERROR(MakePrivateDirectory(state_dir));
  auto key = PseudonymKey(config, state_dir);
  if (!key.ok()) return key.status();

  const std::chrono::seconds first_delay{config.first_scan_delay.value_or(600)};
  const std::chrono::seconds period{config.scan_period.value_or(43200)};
  const std::chrono::seconds budget{config.scan_budget.value_or(300)};
  std::mt19937_64 random{std::random_device{}()};
  ReportStatus(SERVICE_RUNNING, 0, 0);
  spdlog::info("Vigie agent started: configuration {}, state in {}", config_file, state_dir);

  // Workstations started together (8:00, a mass deployment) spread their first scan.
  std::chrono::milliseconds wait{std::uniform_int_distribution<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(first_delay).count())(random)};
  while (Wait(wait)) {
    ScanRequest request;
    request.budget = budget;
    request.cancelled = [] { return service_context->stopping.load(); };
    auto report = ScanThisComputer(*key, request);
    if (report.ok()) {
      if (Status kept = KeepReport(state_dir, *report); kept.ok()) {
        spdlog::info("scan done: verdict {}, {} probe error(s), report in {}\\last-report.json",
                     EnumName(report->verdict.status), report->probe_errors.size(), state_dir);
      } else {
        spdlog::error("scan done but not kept: {}", kept.message());
      }
    } else if (!service_context->stopping) {
      spdlog::error("scan failed: {}", report.status().message());
    }
    const auto period_ms = std::chrono::duration_cast<std::chrono::milliseconds>(period).count();
    wait = std::chrono::milliseconds(std::uniform_int_distribution<std::int64_t>(
        period_ms * 9 / 10, period_ms * 11 / 10)(random));
  }
  spdlog::info("Vigie agent stopped");
  return Status();
}

void WINAPI ServiceMain(DWORD, wchar_t**) {
  ServiceContext& context = *service_context;
  context.handle = RegisterServiceCtrlHandlerExW(kServiceName, ControlHandler, nullptr);
  if (context.handle == nullptr) return;
  ReportStatus(SERVICE_START_PENDING, 0, 10000);
  // The Application log, under the source the installer registers (its message file is this
  // executable's message table, so Event Viewer shows the text as it is).
  auto logger = std::make_shared<spdlog::logger>(
      "vigie", std::make_shared<spdlog::sinks::win_eventlog_sink_mt>(kEventSource));
  logger->set_level(spdlog::level::info);
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  const Status served = Serve();
  if (!served.ok()) spdlog::error("Vigie agent cannot run: {}", served.message());
  ReportStatus(SERVICE_STOPPED, served.ok() ? 0 : 1, 0);
}

}  // namespace

Status RunAsService(const std::string& config_file) {
  ServiceContext context;
  context.config_file = config_file;
  context.stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (context.stop_event == nullptr) return Win32Error(GetLastError(), "cannot create an event");
  service_context = &context;
  std::wstring name = kServiceName;
  SERVICE_TABLE_ENTRYW table[] = {{name.data(), ServiceMain}, {nullptr, nullptr}};
  const BOOL dispatched = StartServiceCtrlDispatcherW(table);
  const DWORD error = GetLastError();
  service_context = nullptr;
  CloseHandle(context.stop_event);
  if (dispatched) return Status();
  if (error == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) {
    return FailedPrecondition(
        "« service » est lancé par le gestionnaire de services Windows (sc start VigieAgent), "
        "pas depuis une console : pour un examen immédiat, « vigie-agent scan »");
  }
  return Win32Error(error, "cannot reach the service control manager");
}

}  // namespace vigie::agent
