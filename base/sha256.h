// SHA-256: as 64 lowercase hex digits, the form of Principal.token_sha256
// (the hash of a bearer token), of request fingerprints and of the audit
// trail's hashes; raw, 32 bytes, for hash chains.
//
//   std::string hash = Sha256Hex("nongye");
#ifndef DUBAN_BASE_SHA256_H_
#define DUBAN_BASE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace duban {

std::string Sha256Hex(absl::string_view bytes);
std::string Sha256Raw(absl::string_view bytes);

// SHA-256 of bytes given in pieces (a file streamed in chunks).
//
//   Sha256Stream hash;
//   hash.Add(chunk1); hash.Add(chunk2);
//   std::string raw = hash.Finish();   // 32 bytes; the stream is spent
//
// Not thread-safe.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Add(absl::string_view bytes);
  std::string Finish();

 private:
  ::evp_md_ctx_st* context_;
};

}  // namespace duban

#endif  // DUBAN_BASE_SHA256_H_
