// Signed checkpoints of the audit chain: the text a signature covers, and
// Ed25519 signing and verifying (OpenSSL).
//
//   ASSIGN_OR_RETURN(auto signer, CheckpointSigner::FromPem(pem_text));
//   v1::Checkpoint checkpoint = ...cursor, chain, entries, time...;
//   RETURN_IF_ERROR(signer->Sign(checkpoint));
//   ...
//   RETURN_IF_ERROR(VerifyCheckpointSignature(checkpoint));
#ifndef DUBAN_BASE_CHECKPOINT_SIGNATURE_H_
#define DUBAN_BASE_CHECKPOINT_SIGNATURE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "duban/v1/audit.pb.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace duban {

// "duban checkpoint v1\n{cursor}\n{chain_sha256}\n{log_entries}\n{unix seconds}\n".
std::string CheckpointPayload(const v1::Checkpoint& checkpoint);

// Holds an Ed25519 private key. Thread-safe.
class CheckpointSigner {
 public:
  // `pem`: a PKCS#8 PEM private key ("openssl genpkey -algorithm ed25519").
  // INVALID_ARGUMENT when it is not an Ed25519 private key.
  static absl::StatusOr<std::unique_ptr<CheckpointSigner>> FromPem(absl::string_view pem);
  ~CheckpointSigner();

  // Sets checkpoint.public_key and checkpoint.signature over the rest.
  absl::Status Sign(v1::Checkpoint& checkpoint) const;
  // The public key, 32 bytes in base64.
  const std::string& public_key() const { return public_key_; }

 private:
  CheckpointSigner(EVP_PKEY* key, std::string public_key)
      : key_(key), public_key_(std::move(public_key)) {}
  EVP_PKEY* key_;
  std::string public_key_;
};

// OK when checkpoint.signature is checkpoint.public_key's signature of the
// checkpoint; INVALID_ARGUMENT naming the field otherwise.
absl::Status VerifyCheckpointSignature(const v1::Checkpoint& checkpoint);

// The public key (32 bytes, base64) of a PEM public or private Ed25519 key.
absl::StatusOr<std::string> Ed25519PublicKeyFromPem(absl::string_view pem);

}  // namespace duban

#endif  // DUBAN_BASE_CHECKPOINT_SIGNATURE_H_
