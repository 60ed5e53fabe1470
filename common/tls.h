#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigie {

// What a PEM file given to a TLS flag must hold.
enum class PemContent { kCertificates, kPrivateKey };

// Reads a PEM file given as `flag` (e.g. "--tls-cert") and checks with OpenSSL that it holds
// what it should, so that a wrong file is named at start-up instead of failing a handshake later.
Result<std::string> ReadPemFile(const std::string& path, std::string_view flag, PemContent content);

// Checks that `key_pem` is the private key of the first certificate of `cert_pem`.
Status CheckKeyMatchesCertificate(std::string_view cert_pem, std::string_view key_pem);

// Empty when the first certificate of `cert_pem` is valid now; otherwise why not, e.g.
// "expired on 2026-11-22 10:00:00 UTC".
std::string CertificateValidityProblem(std::string_view cert_pem);

}  // namespace vigie
