#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace vigie::collector {

// Slows down guessing: after `max_failures` failed authentications from one peer address within
// `window`, that address is refused until the oldest of them leaves the window. Bounded in
// memory: beyond `max_peers` addresses, the stalest are forgotten.
class FailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    int max_failures = 10;
    std::chrono::seconds window{60};
    std::size_t max_peers = 100000;
  };

  explicit FailureLimiter(Options options) : options_(options) {}

  // How long `peer` must wait before trying again; none when it may try now.
  std::optional<std::chrono::seconds> Blocked(const std::string& peer, Clock::time_point now);
  void RecordFailure(const std::string& peer, Clock::time_point now);

 private:
  void Forget(const std::string& peer, Clock::time_point now);

  Options options_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

// The address part of a gRPC peer ("ipv4:10.1.2.3:51234" -> "ipv4:10.1.2.3"): every connection
// from one machine counts together.
std::string PeerAddress(const std::string& peer);

}  // namespace vigie::collector
