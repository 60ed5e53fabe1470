#include "collector/http/access.h"

#include "common/crypto.h"

namespace vigie::collector::http {

Result<SessionTable::Created> SessionTable::Create(const std::string& user) {
  auto id = RandomHex(32);
  if (!id.ok()) return id.status();
  auto csrf = RandomHex(32);
  if (!csrf.ok()) return csrf.status();
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  std::erase_if(sessions_,
                [&](const auto& entry) { return now - entry.second.last_used > idle_timeout_; });
  sessions_[*id] = {user, *csrf, now};
  return Created{*id, *csrf};
}

std::optional<SessionTable::Session> SessionTable::Use(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return std::nullopt;
  const auto now = Clock::now();
  if (now - found->second.last_used > idle_timeout_) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.last_used = now;
  return found->second;
}

void SessionTable::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

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
