#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

enum class LogStyle {
  // Command-line use: "error: message" on stderr, nothing below warnings by default.
  kConsole,
  // Long-running service: under systemd (JOURNAL_STREAM set) lines carry a syslog priority
  // prefix that journald understands; elsewhere they carry a timestamp. With a file, to the file.
  kService,
};

// Sets up the default logger once for the whole process. `level` is one of trace, debug, info,
// warn, error, critical, off; anything else is refused.
Status SetupLogging(LogStyle style, std::string_view level,
                    const std::optional<std::string>& file = std::nullopt);

}  // namespace vigie
