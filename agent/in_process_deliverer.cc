#include "agent/in_process_deliverer.h"

#include <spdlog/spdlog.h>

#include <random>

#include "agent/backoff.h"
#include "agent/enrollment.h"
#include "common/enums.h"

namespace vigie::agent {

using std::chrono::milliseconds;

InProcessDeliverer::InProcessDeliverer(AgentState state, Spool& spool, UplinkOptions options,
                                       RetrySettings retry, std::string token, HostIdentity host)
    : state_(std::move(state)),
      spool_(spool),
      options_(std::move(options)),
      retry_(retry),
      token_(std::move(token)),
      host_(std::move(host)) {}

Status InProcessDeliverer::Enroll() {
  if (token_.empty()) {
    return FailedPrecondition("this agent is not enrolled (no identity in " + state_.dir() +
                              "): run vigie-agent enroll --token TOKEN, or pass --token");
  }
  auto identity = agent::Enroll(token_, host_, options_);
  if (!identity.ok()) return identity.status();
  VIGIE_RETURN_IF_ERROR(state_.SaveIdentity(*identity));
  spdlog::info("enrolled with {} for {}: agent {}", options_.collector, identity->ministry,
               identity->agent_id);
  return Status::Ok();
}

Result<Uplink*> InProcessDeliverer::Connected(const std::string& collector) {
  std::lock_guard lock(mutex_);
  if (cancelled_) return Unavailable("the agent is stopping");
  if (!uplink_) {
    UplinkOptions options = options_;
    if (options.collector.empty()) options.collector = collector;
    auto connected = Uplink::Connect(options);
    if (!connected.ok()) return connected.status();
    uplink_ = std::move(connected).value();
  }
  return uplink_.get();
}

void InProcessDeliverer::SaveSchedule(const DeliverySchedule& schedule) {
  if (Status saved = spool_.SetSchedule(schedule); !saved.ok()) {
    spdlog::warn("cannot keep the delivery schedule in the spool: {}", saved.message());
  }
}

DeliveryOutcome InProcessDeliverer::Deliver(const std::optional<SpooledReport>& unspooled) {
  DeliveryOutcome outcome;
  std::mt19937_64 random(std::random_device{}());
  auto schedule = spool_.Schedule();
  Backoff backoff(retry_.initial, retry_.max, schedule.ok() ? schedule->failures : 0);
  const auto retry = [&](const Status& failure, std::optional<milliseconds> wait) {
    outcome.failure = failure;
    const bool asked = wait.has_value();
    if (!wait) wait = backoff.Next(random);
    outcome.retry_in = wait;
    DeliverySchedule next;
    next.failures = backoff.failures();
    // Only a collector's request outlives the service: after a restart (often a reboot, the
    // network back) the backoff starts again at once.
    if (asked) next.next_attempt = std::chrono::system_clock::now() + *wait;
    SaveSchedule(next);
    return asked;
  };

  auto identity = state_.LoadIdentity();
  if (identity.ok() && !*identity) {
    if (Status enrolled = Enroll(); !enrolled.ok()) {
      const Status failure = enrolled;
      spdlog::error("cannot enroll: {}", failure.message());
      retry(failure, std::nullopt);
      return outcome;
    }
    identity = state_.LoadIdentity();
  }
  if (!identity.ok() || !*identity) {
    const Status failure =
        identity.ok() ? FailedPrecondition("this agent is not enrolled any more (no identity in " +
                                           state_.dir() + ")")
                      : identity.status();
    spdlog::error("cannot deliver reports: {}", failure.message());
    retry(failure, std::nullopt);
    return outcome;
  }
  auto uplink = Connected((*identity)->collector);
  if (!uplink.ok()) {
    retry(uplink.status(), std::nullopt);
    return outcome;
  }

  bool memory_pending = unspooled.has_value();
  while (!cancelled_) {
    std::optional<SpooledReport> next;
    if (memory_pending) {
      next = unspooled;
    } else {
      auto oldest = spool_.Oldest();
      if (!oldest.ok()) {
        spdlog::error("cannot read the spool: {}", oldest.status().message());
        retry(oldest.status(), std::nullopt);
        return outcome;
      }
      if (!*oldest) break;
      next = std::move(**oldest);
    }
    const SendAttempt attempt =
        (*uplink)->Send(next->payload, (*identity)->agent_id, (*identity)->secret);
    if (cancelled_ && !attempt.status.ok()) return outcome;
    if (attempt.status.ok() || attempt.refused) {
      if (attempt.status.ok()) {
        ++outcome.delivered;
        spdlog::info("report {} delivered{}: {}", next->report_id,
                     attempt.delivery.duplicate ? " (the collector already had it)" : "",
                     EnumName(attempt.delivery.verdict.status));
        outcome.last_delivery = {next->report_id, attempt.delivery};
      } else {
        ++outcome.refused;
        outcome.failure = attempt.status;
        spdlog::error("report {} dropped: {}", next->report_id, attempt.status.message());
      }
      if (memory_pending) {
        memory_pending = false;
        outcome.unspooled_settled = true;
      } else if (Status removed = spool_.Remove(next->report_id, attempt.refused); !removed.ok()) {
        // It stays at the head of the queue: the collector acknowledges it again as a duplicate.
        spdlog::error("cannot remove report {} from the spool: {}", next->report_id,
                      removed.message());
        retry(removed, std::nullopt);
        return outcome;
      }
      backoff.Reset();
      continue;
    }
    std::optional<milliseconds> asked;
    if (attempt.retry_after) {
      const milliseconds after = *attempt.retry_after;
      asked = after + milliseconds(std::uniform_int_distribution<std::int64_t>(
                          0, after.count() / 10)(random));
    }
    const bool as_asked = retry(attempt.status, asked);
    spdlog::warn("cannot deliver report {}: {}; next try in {} s{}", next->report_id,
                 attempt.status.message(), (outcome.retry_in->count() + 999) / 1000,
                 as_asked ? " (as the collector asked)" : "");
    return outcome;
  }
  if (!cancelled_) SaveSchedule(DeliverySchedule{});
  return outcome;
}

void InProcessDeliverer::Cancel() {
  cancelled_ = true;
  std::lock_guard lock(mutex_);
  if (uplink_) uplink_->Cancel();
}

}  // namespace vigie::agent
