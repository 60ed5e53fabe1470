#include "collector/http/access.h"

#include "common/crypto.h"

namespace vigie::collector::http {

std::chrono::seconds LoginThrottle::RetryAfter(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return std::chrono::seconds(0);
  const auto elapsed = Clock::now() - found->second.window_start;
  if (elapsed >= window_) {
    entries_.erase(found);
    return std::chrono::seconds(0);
  }
  if (found->second.failures < max_failures_) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(window_ - elapsed);
}

void LoginThrottle::RecordFailure(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  auto& entry = entries_[key];
  if (entry.failures == 0 || now - entry.window_start >= window_) {
    entry.failures = 0;
    entry.window_start = now;
  }
  ++entry.failures;
}

void LoginThrottle::Forget(const std::string& key) {
  std::lock_guard lock(mutex_);
  entries_.erase(key);
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

}  // namespace vigie::collector::http
