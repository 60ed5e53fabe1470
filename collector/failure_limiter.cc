#include "collector/failure_limiter.h"

namespace vigie::collector {

void FailureLimiter::Forget(const std::string& peer, Clock::time_point now) {
  auto it = failures_.find(peer);
  if (it == failures_.end()) return;
  while (!it->second.empty() && it->second.front() + options_.window <= now) {
    it->second.pop_front();
  }
  if (it->second.empty()) failures_.erase(it);
}

std::optional<std::chrono::seconds> FailureLimiter::Blocked(const std::string& peer,
                                                            Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Forget(peer, now);
  auto it = failures_.find(peer);
  if (it == failures_.end() || static_cast<int>(it->second.size()) < options_.max_failures) {
    return std::nullopt;
  }
  const auto wait = it->second.front() + options_.window - now;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(wait));
}

void FailureLimiter::RecordFailure(const std::string& peer, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= options_.max_peers && !failures_.contains(peer)) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      it = it->second.back() + options_.window <= now ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= options_.max_peers) failures_.erase(failures_.begin());
  }
  auto& times = failures_[peer];
  times.push_back(now);
  // Only the last max_failures matter for the decision.
  while (static_cast<int>(times.size()) > options_.max_failures) times.pop_front();
}

std::string PeerAddress(const std::string& peer) {
  const auto colon = peer.rfind(':');
  const auto scheme = peer.find(':');
  if (colon == std::string::npos || colon == scheme) return peer;
  return peer.substr(0, colon);
}

}  // namespace vigie::collector
