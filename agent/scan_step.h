#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "agent/scanner.h"
#include "agent/spool.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// A scan whose report went to the spool.
struct ScanRecord {
  std::string report_id;
  // The payload, when the spool could not keep it (disk full): the runner holds it in memory
  // and delivers it once.
  std::optional<std::string> unspooled_payload;
};

// Scans the host (the report alone; ScanIntoSpool adds the agent's health).
using ScanFunction = std::function<Result<InventoryReport>(const ScanRequest& request)>;

// One scan into the spool: the report, its AgentHealth (`write_failures`: reports the spool
// could not keep since the service started) and Spool::Add, logged on one line. What the
// service's scan child runs, and `run --once` in its own process.
Result<ScanRecord> ScanIntoSpool(Spool& spool, const ScanFunction& scan, const ScanRequest& request,
                                 std::int64_t write_failures);

// How the runner makes a scan: in this process (ScanIntoSpool) or in a child (ScanChild).
using ScanStep =
    std::function<Result<ScanRecord>(const ScanRequest& request, std::int64_t write_failures)>;

}  // namespace vigie::agent
