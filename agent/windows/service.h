#pragma once

#include <string>

#include "common/status.h"

namespace vigie::agent {

// The name the installer registers the service under (sc query VigieAgent), and the Event Log
// source its messages come from (Application log).
inline constexpr wchar_t kServiceName[] = L"VigieAgent";
inline constexpr char kEventSource[] = "Vigie";

// `vigie-agent.exe service`: hands the process to the service control manager
// (StartServiceCtrlDispatcherW) and returns once the service stopped. The service reads
// `config_file` (empty: %ProgramData%\Vigie\agent.toml), keeps its state in a folder only
// SYSTEM and Administrators may open, scans after first-scan-delay then every scan-period, and
// stops within seconds on SERVICE_CONTROL_STOP or SHUTDOWN. FAILED_PRECONDITION when the
// process was not started by the service control manager.
Status RunAsService(const std::string& config_file);

}  // namespace vigie::agent
