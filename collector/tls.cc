#include "collector/tls.h"

#include <grpcpp/security/server_credentials.h>
#include <spdlog/spdlog.h>

#include "common/tls.h"

namespace vigie::collector {

Result<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServeSettings& settings) {
  if (settings.insecure) {
    if (!settings.tls_cert.empty() || !settings.tls_key.empty() ||
        !settings.tls_client_ca.empty()) {
      return InvalidArgument("insecure and tls-cert/tls-key/tls-client-ca exclude each other");
    }
    return grpc::InsecureServerCredentials();
  }
  if (settings.tls_cert.empty() || settings.tls_key.empty()) {
    return FailedPrecondition(
        "TLS needs --tls-cert and --tls-key (or tls-cert and tls-key in the configuration); "
        "--insecure serves plain text, for a trusted loopback or lab network only");
  }
  auto cert = ReadPemFile(settings.tls_cert, "--tls-cert", PemContent::kCertificates);
  if (!cert.ok()) return cert.status();
  auto key = ReadPemFile(settings.tls_key, "--tls-key", PemContent::kPrivateKey);
  if (!key.ok()) return key.status();
  if (Status status = CheckKeyMatchesCertificate(*cert, *key); !status.ok()) {
    return status.Annotate("--tls-key " + settings.tls_key + " and --tls-cert " +
                           settings.tls_cert);
  }
  // An expired certificate is served anyway: agents refuse it with a clear error, and the
  // operator sees this line; refusing to start would also stop the collector from listening
  // while the certificate is renewed.
  if (const std::string problem = CertificateValidityProblem(*cert); !problem.empty()) {
    spdlog::error("--tls-cert {}: the certificate is {}: agents will refuse it", settings.tls_cert,
                  problem);
  }
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (!settings.tls_client_ca.empty()) {
    auto client_ca =
        ReadPemFile(settings.tls_client_ca, "--tls-client-ca", PemContent::kCertificates);
    if (!client_ca.ok()) return client_ca.status();
    options.pem_root_certs = *client_ca;
    options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  pair.private_key = *key;
  pair.cert_chain = *cert;
  options.pem_key_cert_pairs.push_back(pair);
  return grpc::SslServerCredentials(options);
}

}  // namespace vigie::collector
