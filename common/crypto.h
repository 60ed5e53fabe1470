#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// A random RFC 4122 version 4 UUID from the system's CSPRNG, lowercase.
Result<std::string> RandomUuid();

}  // namespace vigie
