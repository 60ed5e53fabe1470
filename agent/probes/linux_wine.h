#pragma once

#include "agent/probe.h"
#include "agent/system_view.h"

namespace vigie::agent {

// CrossOver's system-wide ("published") bottles under /opt/cxoffice/support, read like the
// per-user prefixes (ReadWinePrefixes) but without a user.
void ReadSystemCrossOverBottles(const SystemView& system, ScanFacts& facts);

}  // namespace vigie::agent
