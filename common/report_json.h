#pragma once

#include <string>

#include "common/model.h"

namespace vigie {

// Serializes a report exactly as protobuf's canonical JSON mapping of vigie.v1.InventoryReport
// would (lowerCamelCase names, enum names, RFC 3339 timestamps, default values omitted), so the
// offline scan output is the same on every platform build, with or without protobuf.
std::string ReportToJson(const InventoryReport& report, bool pretty);

// "2026-11-23T10:15:00Z".
std::string FormatTimestamp(Timestamp time);

}  // namespace vigie
