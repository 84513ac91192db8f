// Certificates and keys made for a test with the openssl command line: a
// CA, a server certificate for 127.0.0.1 and localhost, client
// certificates, a certificate revocation list, and Ed25519 audit keys.
//
//   TestCertificates pki(scratch.path());
//   ServerOptions options;
//   options.tls = {.cert = pki.server_cert(), .key = pki.server_key(),
//                  .client_ca = pki.ca_cert()};
//   ClientIdentity leader = pki.Client("leader");   // CN=leader, signed by the CA
//
// Each step that fails adds a test failure and throws std::runtime_error.
#ifndef DUBAN_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define DUBAN_TESTS_SUPPORT_TEST_CERTIFICATES_H_

#include <string>

namespace duban::testing {

// Paths of a client's PEM certificate and key.
struct ClientIdentity {
  std::string cert;
  std::string key;
};

// Paths of an Ed25519 key pair in PEM.
struct Ed25519Key {
  std::string private_key;
  std::string public_key;
};

class TestCertificates {
 public:
  // Makes the CA and the server certificate under `directory`.
  explicit TestCertificates(const std::string& directory);

  const std::string& ca_cert() const { return ca_cert_; }
  const std::string& server_cert() const { return server_cert_; }
  const std::string& server_key() const { return server_key_; }

  // A client certificate with subject CN=`common_name`, signed by this CA
  // (or, with `trusted` false, by a CA of its own that the server does not
  // know).
  ClientIdentity Client(const std::string& common_name, bool trusted = true);

  // Revokes `client` and (re)writes the CA's CRL into a directory of hashed
  // CRL files (`openssl rehash`), whose path it returns. Called with no
  // revocation before, it still writes a CRL (an empty one is made by
  // CrlDirectory()).
  std::string Revoke(const ClientIdentity& client);
  // The directory of the CA's current CRL (revoking nothing at first).
  std::string CrlDirectory();

 private:
  std::string directory_;
  std::string ca_cert_;
  std::string ca_key_;
  std::string server_cert_;
  std::string server_key_;
  int serial_ = 0;
};

// A fresh Ed25519 key pair under `directory`, named `name`.pem / `name`.pub.pem.
Ed25519Key MakeEd25519Key(const std::string& directory, const std::string& name);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_TEST_CERTIFICATES_H_
