// The keys of column family `auth` (storage/auth_store.h):
//
//   'p' | principal name               → record(PasswordCredential)  audited, each version
//   'e' | ~n (8 bytes BE)              → record(SecurityEvent)       audited, append-only;
//                                         newest first
//   's' | token SHA-256 (64 hex)       → record(Session)             not audited: the login
//                                         event is; the session changes as it is used
//   'i' | principal name | 0 | token SHA-256 hex → ""                a principal's sessions
#ifndef DUBAN_STORAGE_AUTH_KEYS_H_
#define DUBAN_STORAGE_AUTH_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/big_endian.h"

namespace duban::storage {

inline constexpr char kPasswordTag = 'p';
inline constexpr char kSecurityEventTag = 'e';
inline constexpr char kSessionTag = 's';
inline constexpr char kSessionIndexTag = 'i';
// How many hex digits of the token's SHA-256 name a session.
inline constexpr size_t kSessionIdDigits = 16;

inline std::string PasswordKey(absl::string_view principal) {
  return absl::StrCat(absl::string_view(&kPasswordTag, 1), principal);
}
inline std::string SecurityEventKey(uint64_t n) {
  std::string key(1, kSecurityEventTag);
  AppendBigEndian64(key, ~n);
  return key;
}
inline std::string SecurityEventName(uint64_t n) { return absl::StrCat("securityEvents/", n); }
inline std::string SessionKey(absl::string_view token_sha256_hex) {
  return absl::StrCat(absl::string_view(&kSessionTag, 1), token_sha256_hex);
}
inline std::string SessionIndexPrefix(absl::string_view principal) {
  return absl::StrCat(absl::string_view(&kSessionIndexTag, 1), principal,
                      absl::string_view("\0", 1));
}
inline std::string SessionName(absl::string_view token_sha256_hex) {
  return absl::StrCat("sessions/", token_sha256_hex.substr(0, kSessionIdDigits));
}

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_AUTH_KEYS_H_
