// The server's transport: TLS or mutual TLS credentials from PEM files, and
// the rule that plaintext is for loopback only.
//
//   ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
//                    ServerCredentialsFor(options.tls, options.listen, options.insecure));
#ifndef DUBAN_SERVER_EDGE_TRANSPORT_SECURITY_H_
#define DUBAN_SERVER_EDGE_TRANSPORT_SECURITY_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

struct TlsFiles {
  // The server's certificate chain and private key (PEM). Both or neither.
  std::string cert;
  std::string key;
  // CA bundle (PEM) that client certificates must chain to. When set,
  // clients may present a certificate (mutual TLS); a certificate that does
  // not verify fails the handshake, and its subject common name names the
  // principal of calls that carry no bearer token.
  std::string client_ca;
  // With client_ca: refuse clients that present no certificate.
  bool require_client_cert = false;
  // Directory of hashed CRL files (`openssl rehash`) checked on every
  // handshake; only with client_ca.
  std::string crl_dir;

  bool enabled() const { return !cert.empty() || !key.empty(); }
};

// TLS credentials when `tls` names a certificate; plaintext otherwise,
// which is refused (INVALID_ARGUMENT) unless `listen` is a loopback address
// or `insecure` is set. INVALID_ARGUMENT also for a file that cannot be
// read or half a key pair.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& tls, absl::string_view listen, bool insecure);

// True for 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackAddress(absl::string_view host_port);

// The host of "host:port" or "[v6]:port".
absl::string_view HostOf(absl::string_view host_port);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_TRANSPORT_SECURITY_H_
