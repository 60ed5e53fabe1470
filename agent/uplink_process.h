#pragma once

#include <atomic>
#include <random>
#include <string>
#include <vector>

#include "agent/backoff.h"
#include "agent/deliverer.h"
#include "agent/spool.h"
#include "agent/uplink_options.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// Where `vigie-agent-uplink` is: next to this executable (the build tree), or in ../lib/vigie/
// relative to it (the packages: /usr/bin/vigie-agent, /usr/lib/vigie/vigie-agent-uplink). An
// error in French, for the DSI, when neither is an executable file.
Result<std::string> FindUplinkExecutable();

// The POSIX Deliverer of the light `vigie-agent`: each enrollment and each delivery pass runs
// `vigie-agent-uplink` (posix_spawn), which alone maps gRPC and TLS, and reads its JSON answer.
// The uplink keeps the backoff in the spool; when it dies without answering, this backs off
// on its own.
class UplinkProcess final : public Deliverer {
 public:
  struct Settings {
    UplinkOptions uplink;
    std::string state_dir;
    RetrySettings retry;
    Spool::Limits limits;
    std::string token;  // handed over in the uplink's environment, never on its command line
    HostIdentity host;
    // The uplink logs where this process does: "console" for commands, else the service's
    // log-target.
    std::string log_target = "console";
    std::string log_level = "warn";
  };

  explicit UplinkProcess(Settings settings);

  Status Enroll() override;
  DeliveryOutcome Deliver(const std::optional<SpooledReport>& unspooled) override;
  void Cancel() override;

 private:
  // Runs the uplink with `command` and the shared flags, `input` on its stdin; its stdout.
  Result<std::string> Run(const std::string& command, const std::vector<std::string>& extra,
                          const std::string& input);
  std::vector<std::string> CommonArguments() const;

  Settings settings_;
  Backoff silent_backoff_;
  std::mt19937_64 random_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace vigie::agent
