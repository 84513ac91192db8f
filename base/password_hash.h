// Password hashes: libsodium's crypto_pwhash_str, Argon2id at its
// "interactive" limits (2 passes over 64 MiB: about 0.1 s of one core). The
// string carries the algorithm, its parameters and a random salt, so a
// stored hash stays verifiable when the limits are raised later.
//
//   ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
//   if (PasswordMatches(hash, attempt)) ...
//
// Each call takes 64 MiB while it runs: callers bound how many run at once
// (server/services/auth_service.h). Thread-safe.
#ifndef DUBAN_BASE_PASSWORD_HASH_H_
#define DUBAN_BASE_PASSWORD_HASH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

// RESOURCE_EXHAUSTED when the memory could not be had.
absl::StatusOr<std::string> HashPassword(absl::string_view password);
// False for a wrong password and for a malformed hash.
bool PasswordMatches(absl::string_view hash, absl::string_view password);
// True when `hash` was made with other limits than HashPassword uses now.
bool PasswordNeedsRehash(absl::string_view hash);
// 32 random bytes from the operating system's generator, as 64 hex digits.
std::string RandomToken();

}  // namespace duban

#endif  // DUBAN_BASE_PASSWORD_HASH_H_
