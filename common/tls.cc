#include "common/tls.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

namespace vigie {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<BIO, BioFree> MemoryBio(std::string_view pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::unique_ptr<X509, X509Free> FirstCertificate(std::string_view pem) {
  auto bio = MemoryBio(pem);
  return std::unique_ptr<X509, X509Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::unique_ptr<EVP_PKEY, PkeyFree> PrivateKey(std::string_view pem) {
  auto bio = MemoryBio(pem);
  return std::unique_ptr<EVP_PKEY, PkeyFree>(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

std::string FormatTime(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

}  // namespace

Result<std::string> ReadPemFile(const std::string& path, std::string_view flag,
                                PemContent content) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return NotFound(std::string(flag) + " " + path + ": cannot read the file");
  }
  std::ostringstream text;
  text << file.rdbuf();
  std::string pem = text.str();
  const bool usable = content == PemContent::kCertificates ? FirstCertificate(pem) != nullptr
                                                           : PrivateKey(pem) != nullptr;
  if (!usable) {
    return InvalidArgument(
        std::string(flag) + " " + path + ": not a PEM " +
        (content == PemContent::kCertificates ? "certificate" : "unencrypted private key"));
  }
  return pem;
}

Status CheckKeyMatchesCertificate(std::string_view cert_pem, std::string_view key_pem) {
  auto cert = FirstCertificate(cert_pem);
  auto key = PrivateKey(key_pem);
  if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) {
    return InvalidArgument("the private key does not belong to the certificate");
  }
  return Status::Ok();
}

std::string CertificateValidityProblem(std::string_view cert_pem) {
  auto cert = FirstCertificate(cert_pem);
  if (!cert) return "not a certificate";
  if (X509_cmp_current_time(X509_get0_notBefore(cert.get())) > 0) {
    return "not valid before " + FormatTime(X509_get0_notBefore(cert.get()));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(cert.get())) < 0) {
    return "expired on " + FormatTime(X509_get0_notAfter(cert.get()));
  }
  return "";
}

}  // namespace vigie
