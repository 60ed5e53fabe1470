#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "agent/agent_state.h"
#include "agent/deliverer.h"
#include "agent/scan_step.h"
#include "agent/scanner.h"
#include "agent/spool.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// The service's timing (docs/agent-configuration.md).
struct RunnerOptions {
  // The first scan waits a random time up to this, so that a fleet started together (power on
  // at 8:00, a mass install) does not scan and report at once.
  std::chrono::seconds first_scan_delay{600};
  // Between scans, ±10 % jitter.
  std::chrono::seconds scan_period{std::chrono::hours(12)};
  // Per scan (ScanRequest::budget).
  std::chrono::seconds scan_budget{300};
};

// What `run --once` achieved.
struct OnceOutcome {
  bool scanned = false;
  // The spool is empty and nothing was refused: this scan's report and every older one were
  // acknowledged.
  bool delivered_all = false;
  // Reports still waiting (in the spool, or in memory when the spool could not be written).
  std::int64_t pending = 0;
  // Reports the collector refused for good, dropped from the spool.
  std::int64_t refused = 0;
  // The last acknowledged report (id and the collector's answer), if any.
  std::optional<std::pair<std::string, Delivery>> last_delivery;
  // Why the last delivery failed, when one did.
  Status last_failure;
};

// The agent as a service: scans on a schedule, keeps every report in the spool until the
// collector acknowledges it, and delivers the spool on its own thread through a Deliverer, so
// that a slow scan never holds reports back and an unreachable collector never delays a scan.
class AgentRunner {
 public:
  // `scan` makes each scan and spools its report, in this process (ScanIntoSpool) or in a
  // child (ScanInChild); `request` carries the budget and the stop check.
  AgentRunner(AgentState state, Spool& spool, Deliverer& deliverer, ScanStep scan,
              RunnerOptions options);

  // Scans once, spools the report, then tries to deliver the whole spool once.
  Result<OnceOutcome> RunOnce();

  // Runs until Stop(): scans on the schedule and delivers in the background. OK unless the
  // agent could not work at all.
  Status Run();

  // From any thread (the signal watcher): ends Run() promptly. The scan in progress stops
  // before its next probe, the delivery in progress is cancelled; the spool keeps what was not
  // acknowledged.
  void Stop();

 private:
  // Scans and adds the report to the spool (or holds it in memory when the spool could not
  // keep it). False when the scan could not be made.
  bool ScanAndSpool();
  // One delivery pass. Returns the wait before the next try: none when everything was
  // delivered.
  std::optional<std::chrono::milliseconds> Drain();
  // Sleeps up to `duration`; false when stopped meanwhile.
  bool Sleep(std::chrono::milliseconds duration);
  void SendLoop();
  void LowerPriority();

  AgentState state_;
  Spool& spool_;
  Deliverer& deliverer_;
  ScanStep scan_;
  RunnerOptions options_;
  std::mt19937_64 random_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;    // guarded by mutex_
  bool new_report_ = false;  // guarded by mutex_
  std::atomic<bool> stop_requested_{false};

  // A report the spool could not keep (disk full), sent once from memory.
  std::optional<SpooledReport> unspooled_;  // guarded by mutex_
  std::int64_t spool_write_failures_ = 0;   // guarded by mutex_

  // Written by whichever thread delivers (one at a time), read by RunOnce.
  std::optional<std::pair<std::string, Delivery>> last_delivery_;
  Status last_failure_;
  std::int64_t refused_ = 0;
};

}  // namespace vigie::agent
