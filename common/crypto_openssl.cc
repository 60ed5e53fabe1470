#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "common/crypto_backend.h"

namespace vigie::crypto_backend {
namespace {

[[noreturn]] void Fatal(const char* what) {
  // Only a broken OpenSSL installation gets here: nothing sensible can continue.
  std::fprintf(stderr, "fatal: OpenSSL %s is unavailable\n", what);
  std::abort();
}

}  // namespace

Digest Sha256(std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != digest.size()) {
    Fatal("SHA-256");
  }
  return digest;
}

Digest HmacSha256(std::string_view key, std::string_view data) {
  Digest digest{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(),
           &size) == nullptr ||
      size != digest.size()) {
    Fatal("HMAC-SHA-256");
  }
  return digest;
}

bool RandomBytes(unsigned char* bytes, std::size_t size) {
  return RAND_bytes(bytes, static_cast<int>(size)) == 1;
}

}  // namespace vigie::crypto_backend
