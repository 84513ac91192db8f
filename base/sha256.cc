#include "base/sha256.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace duban {

std::string Sha256Raw(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string Sha256Hex(absl::string_view bytes) { return absl::BytesToHexString(Sha256Raw(bytes)); }

}  // namespace duban
