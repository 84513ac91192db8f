// SHA-256: as 64 lowercase hex digits, the form of Principal.token_sha256
// (the hash of a bearer token), of request fingerprints and of the audit
// trail's hashes; raw, 32 bytes, for hash chains.
//
//   std::string hash = Sha256Hex("nongye");
#ifndef DUBAN_BASE_SHA256_H_
#define DUBAN_BASE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace duban {

std::string Sha256Hex(absl::string_view bytes);
std::string Sha256Raw(absl::string_view bytes);

}  // namespace duban

#endif  // DUBAN_BASE_SHA256_H_
