#pragma once

// What common/crypto.cc needs from a cryptographic library: OpenSSL on Linux
// (crypto_openssl.cc), Windows' CNG in the MinGW build (crypto_win32.cc). Internal to common/.

#include <array>
#include <cstddef>
#include <string_view>

namespace vigie::crypto_backend {

using Digest = std::array<unsigned char, 32>;

// Both abort the process on failure: only a broken system library fails to hash.
Digest Sha256(std::string_view data);
Digest HmacSha256(std::string_view key, std::string_view data);

// False when the system's CSPRNG cannot give `size` bytes.
bool RandomBytes(unsigned char* bytes, std::size_t size);

}  // namespace vigie::crypto_backend
