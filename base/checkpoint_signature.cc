#include "base/checkpoint_signature.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kSignatureBytes = 64;

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct ContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using ContextPtr = std::unique_ptr<EVP_MD_CTX, ContextDeleter>;

// Reads a private key, or failing that a public key, from PEM text.
KeyPtr ReadPem(absl::string_view pem, bool want_private) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return nullptr;
  EVP_PKEY* key = want_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                               : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  return KeyPtr(key);
}

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("the key is not an Ed25519 key");
  }
  unsigned char raw[kKeyBytes];
  size_t size = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1 || size != kKeyBytes) {
    return absl::InvalidArgumentError("cannot read the Ed25519 public key");
  }
  return absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(raw), size));
}

}  // namespace

std::string CheckpointPayload(const v1::Checkpoint& checkpoint) {
  return absl::StrCat("duban checkpoint v1\n", checkpoint.cursor(), "\n",
                      checkpoint.chain_sha256(), "\n", checkpoint.log_entries(), "\n",
                      checkpoint.create_time().seconds(), "\n");
}

absl::StatusOr<std::unique_ptr<CheckpointSigner>> CheckpointSigner::FromPem(
    absl::string_view pem) {
  KeyPtr key = ReadPem(pem, /*want_private=*/true);
  if (!key) return absl::InvalidArgumentError("the audit key is not a PEM private key");
  absl::StatusOr<std::string> public_key = RawPublicKey(key.get());
  if (!public_key.ok()) return public_key.status();
  return std::unique_ptr<CheckpointSigner>(
      new CheckpointSigner(key.release(), *std::move(public_key)));
}

CheckpointSigner::~CheckpointSigner() { EVP_PKEY_free(key_); }

absl::Status CheckpointSigner::Sign(v1::Checkpoint& checkpoint) const {
  checkpoint.set_public_key(public_key_);
  const std::string payload = CheckpointPayload(checkpoint);
  ContextPtr context(EVP_MD_CTX_new());
  unsigned char signature[kSignatureBytes];
  size_t size = sizeof(signature);
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_) != 1 ||
      EVP_DigestSign(context.get(), signature, &size,
                     reinterpret_cast<const unsigned char*>(payload.data()),
                     payload.size()) != 1) {
    return absl::InternalError("cannot sign the checkpoint");
  }
  checkpoint.set_signature(
      absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(signature), size)));
  return absl::OkStatus();
}

absl::Status VerifyCheckpointSignature(const v1::Checkpoint& checkpoint) {
  std::string raw_key;
  if (!absl::Base64Unescape(checkpoint.public_key(), &raw_key) || raw_key.size() != kKeyBytes) {
    return InvalidField("checkpoint.public_key", "is not a base64 Ed25519 public key");
  }
  std::string signature;
  if (!absl::Base64Unescape(checkpoint.signature(), &signature) ||
      signature.size() != kSignatureBytes) {
    return InvalidField("checkpoint.signature", "is not a base64 Ed25519 signature");
  }
  KeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw_key.data()),
      raw_key.size()));
  ContextPtr context(EVP_MD_CTX_new());
  const std::string payload = CheckpointPayload(checkpoint);
  if (!key || !context ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(payload.data()),
                       payload.size()) != 1) {
    return InvalidField("checkpoint.signature",
                        "does not verify: the checkpoint was altered or signed by another key");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Ed25519PublicKeyFromPem(absl::string_view pem) {
  KeyPtr key = ReadPem(pem, /*want_private=*/false);
  if (!key) key = ReadPem(pem, /*want_private=*/true);
  if (!key) return absl::InvalidArgumentError("not a PEM public or private key");
  return RawPublicKey(key.get());
}

}  // namespace duban
