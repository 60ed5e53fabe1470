// Windows' own CNG (bcrypt.dll): Debian ships no OpenSSL for MinGW, and every Windows has CNG.
#include <windows.h>
// windows.h first: bcrypt.h needs its types.
#include <bcrypt.h>

#include <cstdio>
#include <cstdlib>

#include "common/crypto_backend.h"

namespace vigie::crypto_backend {
namespace {

[[noreturn]] void Fatal(const char* what) {
  // Only a broken Windows installation gets here: nothing sensible can continue.
  std::fprintf(stderr, "fatal: CNG %s is unavailable\n", what);
  std::abort();
}

// One CNG hash object, keyed (HMAC) when `key` is given.
Digest Hash(const std::string_view* key, std::string_view data) {
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr,
                                                  key ? BCRYPT_ALG_HANDLE_HMAC_FLAG : 0))) {
    Fatal("SHA-256");
  }
  BCRYPT_HASH_HANDLE hash = nullptr;
  Digest digest{};
  const bool done =
      BCRYPT_SUCCESS(
          BCryptCreateHash(algorithm, &hash, nullptr, 0,
                           key ? reinterpret_cast<PUCHAR>(const_cast<char*>(key->data())) : nullptr,
                           key ? static_cast<ULONG>(key->size()) : 0, 0)) &&
      BCRYPT_SUCCESS(BCryptHashData(hash, reinterpret_cast<PUCHAR>(const_cast<char*>(data.data())),
                                    static_cast<ULONG>(data.size()), 0)) &&
      BCRYPT_SUCCESS(BCryptFinishHash(hash, digest.data(), digest.size(), 0));
  if (hash != nullptr) BCryptDestroyHash(hash);
  BCryptCloseAlgorithmProvider(algorithm, 0);
  if (!done) Fatal(key ? "HMAC-SHA-256" : "SHA-256");
  return digest;
}

}  // namespace

Digest Sha256(std::string_view data) { return Hash(nullptr, data); }

Digest HmacSha256(std::string_view key, std::string_view data) { return Hash(&key, data); }

bool RandomBytes(unsigned char* bytes, std::size_t size) {
  return BCRYPT_SUCCESS(
      BCryptGenRandom(nullptr, bytes, static_cast<ULONG>(size), BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}

}  // namespace vigie::crypto_backend
