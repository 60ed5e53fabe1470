#include "agent/agent_runner.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace vigie::agent {

using std::chrono::milliseconds;

AgentRunner::AgentRunner(AgentState state, Spool& spool, Deliverer& deliverer, ScanStep scan,
                         RunnerOptions options)
    : state_(std::move(state)),
      spool_(spool),
      deliverer_(deliverer),
      scan_(std::move(scan)),
      options_(options),
      random_(std::random_device{}()) {}

void AgentRunner::LowerPriority() {
  // Per thread on Linux: the scanning thread yields CPU and disk to the user; delivery keeps
  // its normal priority.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::setpriority(PRIO_PROCESS, tid, 19) != 0) {
    spdlog::warn("cannot lower the scan's CPU priority: {}", std::strerror(errno));
  }
  // ioprio_set(2) has no glibc wrapper: IOPRIO_WHO_PROCESS, class IDLE (3) in bits 13 and up.
  constexpr int kWhoProcess = 1;
  constexpr int kIdleClass = 3 << 13;
  if (::syscall(SYS_ioprio_set, kWhoProcess, tid, kIdleClass) != 0) {
    spdlog::warn("cannot lower the scan's I/O priority: {}", std::strerror(errno));
  }
}

bool AgentRunner::ScanAndSpool() {
  ScanRequest request;
  request.budget = options_.scan_budget;
  request.cancelled = [this] { return stop_requested_.load(); };
  std::int64_t write_failures = 0;
  {
    std::lock_guard lock(mutex_);
    write_failures = spool_write_failures_;
  }
  auto record = scan_(request, write_failures);
  if (!record.ok()) {
    if (!stop_requested_) spdlog::error("scan failed: {}", record.status().message());
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    if (record->unspooled_payload) {
      ++spool_write_failures_;
      unspooled_ = SpooledReport{record->report_id, std::move(*record->unspooled_payload)};
    }
    new_report_ = true;
  }
  wake_.notify_all();
  return true;
}

std::optional<milliseconds> AgentRunner::Drain() {
  std::optional<SpooledReport> unspooled;
  {
    std::lock_guard lock(mutex_);
    unspooled = unspooled_;
  }
  DeliveryOutcome outcome = deliverer_.Deliver(unspooled);
  if (outcome.unspooled_settled) {
    std::lock_guard lock(mutex_);
    if (unspooled_ && unspooled && unspooled_->report_id == unspooled->report_id) {
      unspooled_.reset();
    }
  }
  refused_ += outcome.refused;
  if (outcome.last_delivery) last_delivery_ = std::move(outcome.last_delivery);
  if (!outcome.failure.ok()) last_failure_ = outcome.failure;
  if (stop_requested_) return std::nullopt;
  return outcome.retry_in;
}

bool AgentRunner::Sleep(milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, duration, [this] { return stopping_; });
}

void AgentRunner::SendLoop() {
  // The spool may hold reports from before a restart: deliver them at once, unless the
  // collector asked the last pass to come back later.
  std::optional<milliseconds> wait = milliseconds(0);
  if (auto schedule = spool_.Schedule(); schedule.ok() && schedule->next_attempt) {
    wait =
        std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(
                                      *schedule->next_attempt - std::chrono::system_clock::now()));
  }
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (wait) {
        // Backing off: a new report does not cut the wait short, or the backoff would mean
        // nothing to an overloaded collector.
        wake_.wait_for(lock, *wait, [this] { return stopping_; });
      } else {
        wake_.wait(lock, [this] { return stopping_ || new_report_; });
      }
      if (stopping_) return;
      new_report_ = false;
    }
    wait = Drain();
  }
}

Result<OnceOutcome> AgentRunner::RunOnce() {
  LowerPriority();
  OnceOutcome outcome;
  outcome.scanned = ScanAndSpool();
  if (Drain()) outcome.delivered_all = false;
  auto stats = spool_.Stats();
  if (!stats.ok()) return stats.status();
  outcome.pending = stats->depth;
  {
    std::lock_guard lock(mutex_);
    if (unspooled_) ++outcome.pending;
  }
  outcome.delivered_all = outcome.pending == 0 && refused_ == 0;
  outcome.refused = refused_;
  outcome.last_delivery = last_delivery_;
  outcome.last_failure = last_failure_;
  return outcome;
}

Status AgentRunner::Run() {
  std::thread sender([this] { SendLoop(); });
  // After the sender started, so that it keeps the normal priority.
  LowerPriority();
  const auto first_delay = milliseconds(std::uniform_int_distribution<std::int64_t>(
      0, milliseconds(options_.first_scan_delay).count())(random_));
  spdlog::info("first scan in {} s, then every {} s (±10 %)", first_delay.count() / 1000,
               options_.scan_period.count());
  if (Sleep(first_delay)) {
    while (true) {
      ScanAndSpool();
      const auto period = milliseconds(options_.scan_period).count();
      const auto next = milliseconds(
          std::uniform_int_distribution<std::int64_t>(period * 9 / 10, period * 11 / 10)(random_));
      if (!Sleep(next)) break;
    }
  }
  sender.join();
  return Status::Ok();
}

void AgentRunner::Stop() {
  stop_requested_ = true;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  deliverer_.Cancel();
}

}  // namespace vigie::agent
