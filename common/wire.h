#pragma once

// Conversions between the plain model (common/model.h) and the wire messages.

#include "common/model.h"
#include "vigie/v1/inventory.pb.h"

namespace vigie {

v1::InventoryReport ToProto(const InventoryReport& report);
v1::Verdict ToProto(const Verdict& verdict);

// Expects a message that passed validation: enum values are taken as they are.
InventoryReport FromProto(const v1::InventoryReport& message);
Verdict FromProto(const v1::Verdict& message);

}  // namespace vigie
