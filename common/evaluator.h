#pragma once

#include "common/model.h"

namespace vigie {

// The verdict the "Cloud au Centre" doctrine gives a report when the host's ministry has no
// derogation and no tenant is allowlisted. Pure: no I/O, no clock.
//   NON_COMPLIANT  an online service is configured, signed in or used;
//   UNKNOWN        otherwise, when a probe failed (it might have hidden a service);
//   TO_REVIEW      otherwise, when cloud-capable components are present (subscription
//                  Microsoft 365 Apps, a cloud identity, an installed cloud client);
//   COMPLIANT      otherwise.
// Each reason, in French, names the evidence behind it.
Verdict Evaluate(const InventoryReport& report);

}  // namespace vigie
