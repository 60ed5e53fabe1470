#include "collector/ingest_metrics.h"

#include <fmt/format.h>

namespace vigie::collector {

void IngestMetrics::ObserveLocked(double seconds) {
  ++received_;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++buckets_[i];
  }
  sum_ += seconds;
}

void IngestMetrics::Stored(double seconds) {
  std::lock_guard lock(mutex_);
  ObserveLocked(seconds);
  ++stored_;
}

void IngestMetrics::Duplicate(double seconds) {
  std::lock_guard lock(mutex_);
  ObserveLocked(seconds);
  ++duplicates_;
}

void IngestMetrics::Refused(const std::string& reason, double seconds) {
  std::lock_guard lock(mutex_);
  ObserveLocked(seconds);
  ++refused_[reason];
}

void IngestMetrics::Render(std::string& out) const {
  std::lock_guard lock(mutex_);
  out += fmt::format(
      "# HELP vigie_ingest_reports_received_total Reports agents sent since start-up.\n"
      "# TYPE vigie_ingest_reports_received_total counter\n"
      "vigie_ingest_reports_received_total {}\n"
      "# HELP vigie_ingest_reports_stored_total Reports stored since start-up.\n"
      "# TYPE vigie_ingest_reports_stored_total counter\n"
      "vigie_ingest_reports_stored_total {}\n"
      "# HELP vigie_ingest_reports_duplicate_total Reports already stored, acknowledged again.\n"
      "# TYPE vigie_ingest_reports_duplicate_total counter\n"
      "vigie_ingest_reports_duplicate_total {}\n"
      "# HELP vigie_ingest_reports_refused_total Reports refused, by gRPC status.\n"
      "# TYPE vigie_ingest_reports_refused_total counter\n",
      received_, stored_, duplicates_);
  for (const auto& [reason, count] : refused_) {
    out += fmt::format("vigie_ingest_reports_refused_total{{reason=\"{}\"}} {}\n", reason, count);
  }
  out +=
      "# HELP vigie_ingest_duration_seconds Time to answer a report, from its arrival to its "
      "status.\n"
      "# TYPE vigie_ingest_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("vigie_ingest_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i],
                       buckets_[i]);
  }
  out += fmt::format(
      "vigie_ingest_duration_seconds_bucket{{le=\"+Inf\"}} {}\n"
      "vigie_ingest_duration_seconds_sum {}\n"
      "vigie_ingest_duration_seconds_count {}\n",
      received_, sum_, received_);
}

}  // namespace vigie::collector
