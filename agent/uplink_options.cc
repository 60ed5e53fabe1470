#include "agent/uplink_options.h"

#include "common/tls.h"

namespace vigie::agent {

Result<TlsMaterial> ReadTlsMaterial(const UplinkOptions& options) {
  TlsMaterial material;
  if (options.insecure) {
    if (!options.ca_file.empty() || !options.client_cert_file.empty()) {
      return InvalidArgument("--insecure and --ca/--tls-cert exclude each other");
    }
    return material;
  }
  if (options.ca_file.empty()) {
    return FailedPrecondition(
        "the collector's certificate is verified against a CA: pass --ca FILE (or ca in the "
        "configuration); --insecure sends plain text, for a trusted loopback or lab network only");
  }
  auto ca = ReadPemFile(options.ca_file, "--ca", PemContent::kCertificates);
  if (!ca.ok()) return ca.status();
  material.ca = *ca;
  if (options.client_cert_file.empty() != options.client_key_file.empty()) {
    return InvalidArgument("--tls-cert and --tls-key go together");
  }
  if (!options.client_cert_file.empty()) {
    auto cert = ReadPemFile(options.client_cert_file, "--tls-cert", PemContent::kCertificates);
    if (!cert.ok()) return cert.status();
    auto key = ReadPemFile(options.client_key_file, "--tls-key", PemContent::kPrivateKey);
    if (!key.ok()) return key.status();
    if (Status status = CheckKeyMatchesCertificate(*cert, *key); !status.ok()) {
      return status.Annotate("--tls-key " + options.client_key_file + " and --tls-cert " +
                             options.client_cert_file);
    }
    material.client_cert = *cert;
    material.client_key = *key;
  }
  return material;
}

}  // namespace vigie::agent
