#include "common/crypto.h"

#include <array>

#include "common/crypto_backend.h"
#include "common/text.h"

namespace vigie {

std::string Sha256Hex(std::string_view data) {
  const auto digest = crypto_backend::Sha256(data);
  return LowercaseHex(digest.data(), digest.size());
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  const auto digest = crypto_backend::HmacSha256(key, data);
  return LowercaseHex(digest.data(), digest.size());
}

Result<std::string> RandomHex(std::size_t size) {
  std::string bytes(size, '\0');
  if (!crypto_backend::RandomBytes(reinterpret_cast<unsigned char*>(bytes.data()), size)) {
    return Unavailable("the system random generator is unavailable");
  }
  return LowercaseHex(reinterpret_cast<const unsigned char*>(bytes.data()), size);
}

Result<std::string> RandomUuid() {
  std::array<unsigned char, 16> bytes{};
  if (!crypto_backend::RandomBytes(bytes.data(), bytes.size())) {
    return Unavailable("the system random generator is unavailable");
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const std::string hex = LowercaseHex(bytes.data(), bytes.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace vigie
