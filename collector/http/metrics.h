#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vigie::collector::http {

// Request counters and latency histograms of the dashboard, per route, rendered in the
// Prometheus text format.
class RequestMetrics {
 public:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,  0.1,    0.25,  0.5,  1.0};

  void Record(const std::string& route, int status, double seconds);
  // Appends the request metrics to `out`.
  void Render(std::string& out);

 private:
  struct Latency {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latencies_;
};

// A label value escaped as the text format requires (backslash, double quote, newline).
std::string PrometheusLabel(const std::string& value);

}  // namespace vigie::collector::http
