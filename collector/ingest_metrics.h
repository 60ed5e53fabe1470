#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vigie::collector {

// What happened to the reports agents sent since the collector started, for /metrics: received,
// stored, duplicates, refused by reason, and how long each took to answer. Thread-safe; the
// ingest path records, the dashboard renders.
class IngestMetrics {
 public:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};

  void Stored(double seconds);
  void Duplicate(double seconds);
  // `reason`: a lowercase gRPC status name (unauthenticated, invalid_argument, ...).
  void Refused(const std::string& reason, double seconds);
  // Appends the metrics in the Prometheus text format to `out`.
  void Render(std::string& out) const;

 private:
  void ObserveLocked(double seconds);

  mutable std::mutex mutex_;
  std::uint64_t received_ = 0;
  std::uint64_t stored_ = 0;
  std::uint64_t duplicates_ = 0;
  std::map<std::string, std::uint64_t> refused_;
  std::array<std::uint64_t, kBuckets.size()> buckets_{};
  double sum_ = 0;
};

}  // namespace vigie::collector
