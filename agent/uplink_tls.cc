#include "agent/uplink_tls.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <memory>

#include "common/grpc_status.h"

namespace vigie::agent {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct BioFreeAll {
  void operator()(BIO* bio) const { BIO_free_all(bio); }
};

// The host part of HOST:PORT or [IPv6]:PORT.
std::string HostOf(const std::string& address) {
  if (!address.empty() && address.front() == '[') {
    return address.substr(1, address.find(']') - 1);
  }
  return address.substr(0, address.rfind(':'));
}

bool IsIpAddress(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

Result<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const UplinkOptions& options) {
  auto material = ReadTlsMaterial(options);
  if (!material.ok()) return material.status();
  if (options.insecure) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = material->ca;
  ssl.pem_cert_chain = material->client_cert;
  ssl.pem_private_key = material->client_key;
  return grpc::SslCredentials(ssl);
}

std::string ExplainHandshakeFailure(const UplinkOptions& options) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return "";
  // The handshake is completed whatever the certificate, so that the verification result can
  // be read and named.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  if (SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr) != 1) return "";
  if (!options.client_cert_file.empty() &&
      (SSL_CTX_use_certificate_chain_file(ctx.get(), options.client_cert_file.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(ctx.get(), options.client_key_file.c_str(), SSL_FILETYPE_PEM) !=
           1)) {
    return "";
  }
  std::unique_ptr<BIO, BioFreeAll> connection(BIO_new_connect(options.collector.c_str()));
  if (!connection || BIO_do_connect(connection.get()) <= 0) return "";
  // The collector answered gRPC's connection a moment ago; a bounded wait keeps a collector
  // that stops answering from hanging the agent here.
  int fd = -1;
  BIO_get_fd(connection.get(), &fd);
  if (fd >= 0) {
    timeval timeout{};
    timeout.tv_sec = 5;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  }
  std::unique_ptr<BIO, BioFreeAll> bio(BIO_new_ssl(ctx.get(), /*client=*/1));
  if (!bio) return "";
  BIO_push(bio.get(), connection.release());
  SSL* ssl = nullptr;
  BIO_get_ssl(bio.get(), &ssl);
  const std::string host = HostOf(options.collector);
  if (IsIpAddress(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
  }
  ERR_clear_error();
  if (BIO_do_handshake(bio.get()) <= 0) {
    const unsigned long error = ERR_peek_last_error();
    const int reason = ERR_GET_REASON(error);
    if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
        error == 0) {
      return "the collector does not answer in TLS (is it serving with --insecure?)";
    }
    const char* text = ERR_reason_error_string(error);
    return std::string("TLS handshake failed: ") + (text ? text : "unknown reason");
  }
  const long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    return "the collector's certificate is not accepted with --ca " + options.ca_file + ": " +
           X509_verify_cert_error_string(verify);
  }
  if (options.client_cert_file.empty()) {
    // TLS 1.3 servers check the client certificate after the handshake: a read shows the
    // refusal.
    char byte;
    if (BIO_read(bio.get(), &byte, 1) <= 0) {
      const unsigned long error = ERR_peek_last_error();
      const char* text = ERR_reason_error_string(error);
      return std::string("the collector closed the connection after the TLS handshake (") +
             (text ? text : "no reason given") +
             "): it probably requires a client certificate: pass --tls-cert and --tls-key";
    }
  }
  return "";
}

Status FailureOf(const grpc::Status& status, const UplinkOptions& options) {
  Status failure = FromGrpcStatus(status);
  const std::string& message = status.error_message();
  const bool transport = status.error_code() == grpc::StatusCode::UNAVAILABLE;
  if (options.insecure || !transport ||
      (message.find("andshake") == std::string::npos &&
       message.find("Socket closed") == std::string::npos &&
       message.find("SSL") == std::string::npos)) {
    return failure;
  }
  const std::string explanation = ExplainHandshakeFailure(options);
  if (explanation.empty()) return failure;
  return {failure.code(), explanation + " (" + message + ")"};
}

}  // namespace vigie::agent
