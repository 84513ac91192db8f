#include "server/edge/https_certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"

namespace duban {
namespace {

// As the gRPC port's certificate provider (transport_security.cc).
constexpr absl::Duration kRefresh = absl::Minutes(5);

}  // namespace

absl::StatusOr<std::shared_ptr<HttpsCertificate>> HttpsCertificate::Load(
    std::string cert_file, std::string key_file, std::function<absl::Time()> now) {
  std::shared_ptr<HttpsCertificate> certificate(
      new HttpsCertificate(std::move(cert_file), std::move(key_file), std::move(now)));
  absl::StatusOr<Pair> pair = certificate->Read();
  if (!pair.ok()) return pair.status();
  MutexLock lock(&certificate->mutex_);
  certificate->pair_ = *pair;
  certificate->read_at_ = certificate->now_();
  return certificate;
}

HttpsCertificate::~HttpsCertificate() {
  MutexLock lock(&mutex_);
  Free(pair_);
}

void HttpsCertificate::Free(Pair& pair) {
  for (X509* certificate : pair.chain) X509_free(certificate);
  pair.chain.clear();
  EVP_PKEY_free(pair.key);
  pair.key = nullptr;
}

absl::StatusOr<HttpsCertificate::Pair> HttpsCertificate::Read() const {
  Pair pair;
  if (BIO* in = BIO_new_file(cert_file_.c_str(), "r")) {
    while (X509* certificate = PEM_read_bio_X509(in, nullptr, nullptr, nullptr)) {
      pair.chain.push_back(certificate);
    }
    BIO_free(in);
  }
  if (BIO* in = BIO_new_file(key_file_.c_str(), "r")) {
    pair.key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO_free(in);
  }
  // Reading stops at the end of the file with an error on OpenSSL's queue:
  // left there, it would fail the handshake this runs in.
  ERR_clear_error();
  absl::Status problem;
  if (pair.chain.empty()) {
    problem = absl::InvalidArgumentError(
        absl::StrCat("--tls_cert ", cert_file_, " holds no PEM certificate"));
  } else if (pair.key == nullptr) {
    problem = absl::InvalidArgumentError(
        absl::StrCat("--tls_key ", key_file_, " holds no PEM private key"));
  } else if (X509_check_private_key(pair.chain.front(), pair.key) != 1) {
    problem = absl::InvalidArgumentError(
        absl::StrCat("--tls_key ", key_file_, " is not the key of --tls_cert ", cert_file_));
  }
  if (!problem.ok()) {
    Free(pair);
    return problem;
  }
  return pair;
}

void HttpsCertificate::Install(SSL_CTX& context) { SSL_CTX_set_cert_cb(&context, &Select, this); }

int HttpsCertificate::Select(SSL* ssl, void* self) {
  return static_cast<HttpsCertificate*>(self)->Use(ssl);
}

int HttpsCertificate::Use(SSL* ssl) {
  MutexLock lock(&mutex_);
  if (now_() - read_at_ >= kRefresh) {
    // A file being replaced may read badly for a moment: keep the old pair.
    absl::StatusOr<Pair> fresh = Read();
    read_at_ = now_();
    if (fresh.ok()) {
      Free(pair_);
      pair_ = *fresh;
    }
  }
  if (SSL_use_certificate(ssl, pair_.chain.front()) != 1 ||
      SSL_use_PrivateKey(ssl, pair_.key) != 1) {
    return 0;
  }
  SSL_clear_chain_certs(ssl);
  for (size_t i = 1; i < pair_.chain.size(); ++i) {
    if (SSL_add1_chain_cert(ssl, pair_.chain[i]) != 1) return 0;
  }
  return 1;
}

}  // namespace duban
