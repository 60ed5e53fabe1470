#include "agent/report_payload.h"

#include <nlohmann/json.hpp>

#include "common/report_json.h"

namespace vigie::agent {

std::string ReportPayload(const InventoryReport& report, const AgentHealth& health) {
  using nlohmann::ordered_json;
  ordered_json json = ordered_json::parse(ReportToJson(report, /*pretty=*/false));
  // The JSON mapping writes 64-bit integers as strings and leaves default values out.
  ordered_json agent = ordered_json::object();
  const auto put = [&agent](const char* key, std::uint64_t value) {
    if (value != 0) agent[key] = std::to_string(value);
  };
  put("spoolDropped", health.spool_dropped);
  if (health.spool_depth != 0) agent["spoolDepth"] = health.spool_depth;
  put("spoolWriteFailures", health.spool_write_failures);
  put("scanCpuMs", health.scan_cpu_ms);
  put("peakRssKib", health.peak_rss_kib);
  put("scanWallMs", health.scan_wall_ms);
  if (health.scan_budget_exceeded) agent["scanBudgetExceeded"] = true;
  json["agentHealth"] = std::move(agent);
  return json.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace vigie::agent
