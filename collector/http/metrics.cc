#include "collector/http/metrics.h"

#include <fmt/format.h>

namespace vigie::collector::http {

void RequestMetrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Latency& latency = latencies_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++latency.buckets[i];
  }
  ++latency.count;
  latency.sum += seconds;
}

void RequestMetrics::Render(std::string& out) {
  std::lock_guard lock(mutex_);
  out += "# HELP vigie_http_requests_total Dashboard HTTP requests by route and status.\n";
  out += "# TYPE vigie_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += fmt::format("vigie_http_requests_total{{route=\"{}\",code=\"{}\"}} {}\n",
                       PrometheusLabel(key.first), key.second, count);
  }
  out += "# HELP vigie_http_request_duration_seconds Dashboard HTTP request latency by route.\n";
  out += "# TYPE vigie_http_request_duration_seconds histogram\n";
  for (const auto& [route, latency] : latencies_) {
    const std::string label = PrometheusLabel(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out +=
          fmt::format("vigie_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      label, kBuckets[i], latency.buckets[i]);
    }
    out += fmt::format(
        "vigie_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n"
        "vigie_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n"
        "vigie_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
        label, latency.count, label, latency.sum, label, latency.count);
  }
}

std::string PrometheusLabel(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace vigie::collector::http
