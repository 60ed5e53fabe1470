#pragma once

#include <string>
#include <vector>

#include "agent/scan_step.h"

namespace vigie::agent {

// The hidden command the service's scan child runs, and what passes between them: the
// deployment's pseudonym key, if any, in the child's environment (never on a command line), the
// report id on the first line of its stdout, then the payload when the spool could not keep it
// (exit code kExitUnspooled).
inline constexpr char kScanIntoSpoolCommand[] = "scan-into-spool";
inline constexpr char kPseudonymKeyVariable[] = "VIGIE_SCAN_PSEUDONYM_KEY";
inline constexpr int kExitUnspooled = 3;

// The service's scans (POSIX), each in a child process: this executable again
// (/proc/self/exe, which stays the running binary even when an upgrade replaced the file) with
// `arguments` (`scan-into-spool` and its flags), plus the budget and the write failures. The scan's
// heap and what the probes' libraries set up (libcrypto, librpm, SQLite) go away with the child, so
// the service waiting between scans stays small; the child inherits the calling thread's low CPU
// and I/O priority.
ScanStep ScanInChild(std::vector<std::string> arguments, std::string pseudonym_key);

}  // namespace vigie::agent
