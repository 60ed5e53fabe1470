#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie::agent {

// Sets up the logging of `vigie-agent run` as a service. `target` is "auto" (the journal when
// started by systemd, which sets JOURNAL_STREAM; else stderr), "journald" (the journal through
// sd-journal, with each line's priority), "stderr", or an absolute file path (appended to).
// Anything else is refused.
Status SetupServiceLogging(std::string_view target, std::string_view level);

}  // namespace vigie::agent
