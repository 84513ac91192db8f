#include "base/sha256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace duban {

std::string Sha256Raw(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string Sha256Hex(absl::string_view bytes) { return absl::BytesToHexString(Sha256Raw(bytes)); }

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(context_, EVP_sha256(), nullptr);
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(context_); }

void Sha256Stream::Add(absl::string_view bytes) {
  EVP_DigestUpdate(context_, bytes.data(), bytes.size());
}

std::string Sha256Stream::Finish() {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_, digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

}  // namespace duban
