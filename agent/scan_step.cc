#include "agent/scan_step.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "agent/report_payload.h"
#include "common/enums.h"

namespace vigie::agent {
namespace {

std::int64_t Milliseconds(const timeval& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1000 + time.tv_usec / 1000;
}

std::int64_t CpuMilliseconds(const rusage& usage) {
  return Milliseconds(usage.ru_utime) + Milliseconds(usage.ru_stime);
}

}  // namespace

Result<ScanRecord> ScanIntoSpool(Spool& spool, const ScanFunction& scan, const ScanRequest& request,
                                 std::int64_t write_failures) {
  using std::chrono::milliseconds;
  rusage before{};
  ::getrusage(RUSAGE_THREAD, &before);
  const auto started = std::chrono::steady_clock::now();
  auto report = scan(request);
  if (!report.ok()) return report.status();
  rusage after{};
  ::getrusage(RUSAGE_THREAD, &after);
  rusage process{};
  ::getrusage(RUSAGE_SELF, &process);
  const auto wall =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
  const bool over_budget =
      std::any_of(report->probe_errors.begin(), report->probe_errors.end(),
                  [](const ProbeError& error) { return error.probe == kScanBudgetProbe; });

  auto stats = spool.Stats();
  if (!stats.ok()) spdlog::error("cannot read the spool: {}", stats.status().message());
  AgentHealth health;
  if (stats.ok()) {
    health.spool_dropped = static_cast<std::uint64_t>(stats->dropped);
    health.spool_depth = static_cast<std::uint32_t>(stats->depth);
  }
  health.spool_write_failures = static_cast<std::uint64_t>(write_failures);
  health.scan_cpu_ms = static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, CpuMilliseconds(after) - CpuMilliseconds(before)));
  health.peak_rss_kib = static_cast<std::uint64_t>(process.ru_maxrss);
  health.scan_wall_ms = static_cast<std::uint64_t>(wall.count());
  health.scan_budget_exceeded = over_budget;

  ScanRecord record;
  record.report_id = report->report_id;
  std::string payload = ReportPayload(*report, health);
  const Status added = spool.Add({report->report_id, payload});
  spdlog::info("scan {}: {}, evidence {}, probe errors {}, {} ms CPU, {} ms{}", report->report_id,
               EnumName(report->verdict.status), report->evidence.size(),
               report->probe_errors.size(), health.scan_cpu_ms, wall.count(),
               over_budget ? ", over its time budget" : "");
  if (!added.ok()) {
    spdlog::error(
        "cannot keep report {} in the spool ({}); it is held in memory until it is "
        "delivered or the next scan replaces it",
        report->report_id, added.message());
    record.unspooled_payload = std::move(payload);
  }
  return record;
}

}  // namespace vigie::agent
