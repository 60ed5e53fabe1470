#pragma once

#include "agent/system_view.h"
#include "common/model.h"
#include "common/status.h"

namespace vigie::agent {

// Who the machine is: a stable host id derived from its machine id (hashed: the raw id must not
// leave the machine, see machine-id(5)), its host name and its OS.
Result<HostIdentity> IdentifyHost(const SystemView& system);

}  // namespace vigie::agent
