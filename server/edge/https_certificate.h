// HttpsCertificate: the HTTP gateway's certificate and key, read from the
// same files as the gRPC port's and re-read, as gRPC does, at most every
// five minutes — so a renewed certificate takes effect on both ports
// without a restart. OpenSSL asks for it at each handshake (a certificate
// callback), so a reload never changes an SSL_CTX in use.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<HttpsCertificate> certificate,
//                    HttpsCertificate::Load(cert_file, key_file, absl::Now));
//   certificate->Install(ssl_context);
//
// Thread-safe: `mutex_` guards the loaded pair.
#ifndef DUBAN_SERVER_EDGE_HTTPS_CERTIFICATE_H_
#define DUBAN_SERVER_EDGE_HTTPS_CERTIFICATE_H_

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"

namespace duban {

class HttpsCertificate {
 public:
  // INVALID_ARGUMENT naming the flag when a file does not read as a PEM
  // certificate chain or private key, or the key is not the certificate's.
  static absl::StatusOr<std::shared_ptr<HttpsCertificate>> Load(std::string cert_file,
                                                                std::string key_file,
                                                                std::function<absl::Time()> now);
  ~HttpsCertificate();
  HttpsCertificate(const HttpsCertificate&) = delete;
  HttpsCertificate& operator=(const HttpsCertificate&) = delete;

  // Makes `context` present this certificate at every handshake. The
  // certificate must outlive the context.
  void Install(SSL_CTX& context);

 private:
  struct Pair {
    std::vector<X509*> chain;  // leaf first; owned
    EVP_PKEY* key = nullptr;   // owned
  };
  HttpsCertificate(std::string cert_file, std::string key_file, std::function<absl::Time()> now)
      : cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), now_(std::move(now)) {}
  absl::StatusOr<Pair> Read() const;
  static void Free(Pair& pair);
  static int Select(SSL* ssl, void* self);
  int Use(SSL* ssl);

  const std::string cert_file_;
  const std::string key_file_;
  const std::function<absl::Time()> now_;
  Mutex mutex_;
  Pair pair_ ABSL_GUARDED_BY(mutex_);
  absl::Time read_at_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_HTTPS_CERTIFICATE_H_
