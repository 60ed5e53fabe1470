#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "collector/users.h"
#include "common/status.h"

namespace vigie::collector::http {

// Who is asking, as the API sees it. Every data route asks it what may be shown: authorization is
// decided here and nowhere else.
struct Principal {
  std::string user;
  Role role = Role::kMinistry;
  std::string ministry;  // Only for Role::kMinistry.
  // Session principals must echo this in X-CSRF-Token on state-changing requests; empty for API
  // tokens, which are not sent by browsers on their own.
  std::string csrf_token;

  bool SeesAllMinistries() const { return role != Role::kMinistry; }
  bool MaySee(std::string_view code) const { return SeesAllMinistries() || code == ministry; }
};

// Failed logins per key (client address, and account name): after `max_failures` within the
// window, further attempts are refused until the window has passed.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  LoginThrottle(int max_failures, std::chrono::seconds window)
      : max_failures_(max_failures), window_(window) {}

  // Zero when an attempt is allowed, else how long to wait.
  std::chrono::seconds RetryAfter(const std::string& key);
  void RecordFailure(const std::string& key);
  void Forget(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point window_start;
  };
  int max_failures_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

// Constant-time comparison for secrets.
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace vigie::collector::http
