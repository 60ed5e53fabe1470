#pragma once

#include <chrono>
#include <random>

namespace vigie::agent {

// The retry delays of a failing delivery: doubling from `initial` up to `max`, each drawn in
// [d/2, d] ("equal jitter"), so that agents that failed together do not retry together.
// `failures` is the count of consecutive failures so far: the uplink process keeps it in the
// spool between runs.
class Backoff {
 public:
  Backoff(std::chrono::seconds initial, std::chrono::seconds max, int failures = 0)
      : initial_(initial), max_(max), failures_(failures) {}

  std::chrono::milliseconds Next(std::mt19937_64& random);
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::seconds initial_;
  std::chrono::seconds max_;
  int failures_ = 0;
};

}  // namespace vigie::agent
