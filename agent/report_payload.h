#pragma once

#include <cstdint>
#include <string>

#include "common/model.h"

namespace vigie::agent {

// How the agent fared with one scan: vigie.v1.AgentHealth, which only the service's reports
// carry (the offline scan's model has no place for it).
struct AgentHealth {
  std::uint64_t spool_dropped = 0;
  std::uint32_t spool_depth = 0;
  std::uint64_t spool_write_failures = 0;
  std::uint64_t scan_cpu_ms = 0;
  std::uint64_t peak_rss_kib = 0;
  std::uint64_t scan_wall_ms = 0;
  bool scan_budget_exceeded = false;
};

// What the spool keeps for a report: protobuf's JSON mapping of vigie.v1.InventoryReport
// (ReportToJson) with its agentHealth, which `vigie-agent-uplink` parses into the message it
// sends. JSON rather than the binary message so that `vigie-agent` needs no protobuf.
std::string ReportPayload(const InventoryReport& report, const AgentHealth& health);

}  // namespace vigie::agent
