#include "agent/scan_child.h"

#include "agent/child_process.h"

namespace vigie::agent {

ScanStep ScanInChild(std::vector<std::string> arguments, std::string pseudonym_key) {
  return [arguments = std::move(arguments), pseudonym_key = std::move(pseudonym_key)](
             const ScanRequest& request, std::int64_t write_failures) -> Result<ScanRecord> {
    std::vector<std::string> argv = {"/proc/self/exe"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), {"--scan-budget-ms", std::to_string(request.budget.count()),
                             "--spool-write-failures", std::to_string(write_failures)});
    auto ran = RunChild(argv, {std::string(kPseudonymKeyVariable) + "=" + pseudonym_key}, "",
                        request.cancelled);
    if (!ran.ok()) return ran.status();
    if (ran->signal != 0) {
      return Unavailable("the scan process ended on signal " + std::to_string(ran->signal));
    }
    if (ran->exit_code != 0 && ran->exit_code != kExitUnspooled) {
      return Unavailable("the scan process failed (exit code " + std::to_string(ran->exit_code) +
                         "; its error is logged above)");
    }
    const auto end = ran->out.find('\n');
    if (end == std::string::npos || end == 0) {
      return Internal("the scan process named no report");
    }
    ScanRecord record;
    record.report_id = ran->out.substr(0, end);
    if (ran->exit_code == kExitUnspooled) record.unspooled_payload = ran->out.substr(end + 1);
    return record;
  };
}

}  // namespace vigie::agent
