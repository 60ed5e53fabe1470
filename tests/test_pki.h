#pragma once

// Certificates made at test time with the OpenSSL API: a CA, and certificates it issues with
// chosen validity, so that tests cover trusted, untrusted and expired certificates without any
// key material in the repository.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>
#include <string>

#include "temp_dir.h"

namespace vigie::testing {

struct IssuedFiles {
  std::string cert;  // PEM certificate path
  std::string key;   // PEM private key path
};

class TestCa {
 public:
  // A self-signed CA named `name`, valid from an hour ago for ten years.
  explicit TestCa(std::string name) : name_(std::move(name)), key_(EVP_EC_gen("P-256")) {
    cert_ = Make(name_, key_.get(), nullptr, nullptr, std::chrono::hours(-1),
                 std::chrono::hours(24 * 3650), "critical,CA:TRUE", "");
  }

  // Writes the CA certificate into `dir` as `<name>.pem`.
  std::string WriteCert(const TempDir& dir) const {
    return dir.Write(name_ + ".pem", Pem(cert_.get()));
  }

  // A leaf certificate for `common_name` with `san` (e.g. "IP:127.0.0.1,DNS:localhost"), valid
  // from `not_before` to `not_after` relative to now, written into `dir` as <file>.pem/.key.
  IssuedFiles Issue(const TempDir& dir, const std::string& file, const std::string& common_name,
                    const std::string& san,
                    std::chrono::seconds not_before = std::chrono::hours(-1),
                    std::chrono::seconds not_after = std::chrono::hours(24)) const {
    std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
    auto cert = Make(common_name, key.get(), cert_.get(), key_.get(), not_before, not_after,
                     "critical,CA:FALSE", san);
    return {dir.Write(file + ".pem", Pem(cert.get())), dir.Write(file + ".key", Pem(key.get()))};
  }

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
  };
  using Cert = std::unique_ptr<X509, CertFree>;

  static void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }

  Cert Make(const std::string& common_name, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
            std::chrono::seconds not_before, std::chrono::seconds not_after,
            const std::string& constraints, const std::string& san) const {
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial_);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(not_before.count()));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(not_after.count()));
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
    AddExtension(cert.get(), issuer, NID_basic_constraints, constraints);
    AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
    if (issuer) {
      AddExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid");
      AddExtension(cert.get(), issuer, NID_subject_alt_name, san);
    } else {
      AddExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    }
    X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256());
    return cert;
  }

  static std::string Pem(X509* cert) {
    return ToText([&](BIO* bio) { PEM_write_bio_X509(bio, cert); });
  }
  static std::string Pem(EVP_PKEY* key) {
    return ToText([&](BIO* bio) {
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    });
  }
  template <typename Write>
  static std::string ToText(Write write) {
    BIO* bio = BIO_new(BIO_s_mem());
    write(bio);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return text;
  }

  std::string name_;
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  Cert cert_;
  mutable long serial_ = 0;
};

}  // namespace vigie::testing
