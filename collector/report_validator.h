#pragma once

#include <cstdint>

#include "common/ministries.h"
#include "common/model.h"
#include "common/status.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie::collector {

// Limits on what one report may hold. Real reports are far below them; anything above is an
// agent defect or an attack, and is refused whole.
struct ReportLimits {
  std::size_t max_string_bytes = 1024;
  std::size_t max_office_installs = 256;
  std::size_t max_evidence = 4096;
  std::size_t max_probe_errors = 512;
  std::size_t max_reasons = 512;
  // Occurrences one evidence may count over its window (a year of visits is far below): a larger
  // value is a broken counter, such as -1 sent as an unsigned number.
  std::uint32_t max_count = 10'000'000;
  // How far ahead of the collector's clock a scan may claim to have finished.
  std::chrono::seconds max_clock_skew = std::chrono::hours(24);
  // The agent's own health (AgentHealth). The counters are unsigned on the wire: a negative
  // number an agent got wrong arrives near 2^64 and is caught by these caps.
  // Counters since the spool was created; JSON's exact integers end at 2^53.
  std::uint64_t max_spool_counter = (std::uint64_t{1} << 53) - 1;
  // The spool holds at most 1,000,000 reports (spool-max-reports).
  std::uint32_t max_spool_depth = 1'000'000;
  // Twice the longest scan budget (scan-budget, one day): a scan also finishes its probe.
  std::uint64_t max_scan_ms = 2 * 86'400'000;
  std::uint64_t max_peak_rss_kib = 64ull * 1024 * 1024;  // 64 GiB
};

// Checks a report before anything of it is stored: required fields, known enum values, known
// ministry, string sizes and encodings, list sizes, plausible timestamps, plausible agent health.
// The error names the offending field, e.g. "report.evidence[3].service: unknown value 42".
Status ValidateReport(const v1::InventoryReport& report, const MinistryList& ministries,
                      Timestamp now, const ReportLimits& limits = {});

}  // namespace vigie::collector
