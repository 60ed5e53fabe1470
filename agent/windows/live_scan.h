#pragma once

#include <string>

#include "agent/scanner.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// Scans the Windows computer this process runs on with every Windows probe, naming users with
// `pseudonym_key`: what `scan` prints and what the service keeps.
Result<InventoryReport> ScanThisComputer(const std::string& pseudonym_key,
                                         const ScanRequest& request);

}  // namespace vigie::agent
