#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Lowercase hex HMAC-SHA-256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `size` bytes from the system's CSPRNG, as lowercase hex.
Result<std::string> RandomHex(std::size_t size);

// A random RFC 4122 version 4 UUID from the system's CSPRNG, lowercase.
Result<std::string> RandomUuid();

}  // namespace vigie
