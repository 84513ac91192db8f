#include "storage/page_token.h"

#include "absl/strings/escaping.h"
#include "base/errors.h"
#include "storage/big_endian.h"

namespace duban::storage {
namespace {

constexpr char kTokenV1 = 't';

uint64_t Fnv1a64(absl::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

std::string EncodePageToken(absl::string_view scope, absl::string_view resume_key) {
  std::string raw(1, kTokenV1);
  AppendBigEndian64(raw, Fnv1a64(scope));
  raw.append(resume_key.data(), resume_key.size());
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view scope) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 9 || raw[0] != kTokenV1) {
    return InvalidField("page_token", "is not a token this server made");
  }
  if (ReadBigEndian64(raw, 1) != Fnv1a64(scope)) {
    return InvalidField("page_token", "belongs to a different query; start again without it");
  }
  return raw.substr(9);
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(successor.back());
    if (last != 0xFF) {
      ++last;
      return successor;
    }
    successor.pop_back();
  }
  return successor;
}

}  // namespace duban::storage
