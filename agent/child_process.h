#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace vigie::agent {

// How a child process of the agent ended.
struct ChildExit {
  std::string out;     // its standard output
  int exit_code = -1;  // -1 when a signal ended it
  int signal = 0;
};

// Runs `argv` (argv[0] is the executable's path) with posix_spawn: this environment plus
// `environment` ("NAME=value", replacing any of the same name), `input` on its stdin, stdout
// captured, stderr shared (its log lines go where this process's go), an empty signal mask
// and default stop signals (the service blocks its own to wait for them on one thread). Its
// nice value and I/O class are the calling thread's. Polls `cancelled` and sends SIGTERM once
// it is true. An error when it cannot be started.
Result<ChildExit> RunChild(const std::vector<std::string>& argv,
                           const std::vector<std::string>& environment, const std::string& input,
                           const std::function<bool()>& cancelled);

}  // namespace vigie::agent
