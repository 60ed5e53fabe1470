#include "agent/backoff.h"

#include <algorithm>
#include <cstdint>

namespace vigie::agent {

std::chrono::milliseconds Backoff::Next(std::mt19937_64& random) {
  using std::chrono::milliseconds;
  const auto max = milliseconds(max_);
  milliseconds delay = milliseconds(initial_);
  for (int i = 0; i < failures_ && delay < max; ++i) delay *= 2;
  delay = std::min(delay, max);
  if (failures_ < 1000) ++failures_;
  std::uniform_int_distribution<std::int64_t> jitter(delay.count() / 2, delay.count());
  return milliseconds(jitter(random));
}

}  // namespace vigie::agent
