#include "base/password_hash.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace duban {
namespace {

// sodium_init is safe to call more than once, from any thread.
void InitSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

}  // namespace

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  InitSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return absl::ResourceExhaustedError("no memory to hash the password; try again");
  }
  return std::string(hash);
}

bool PasswordMatches(absl::string_view hash, absl::string_view password) {
  InitSodium();
  const std::string terminated(hash);
  if (terminated.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(absl::string_view hash) {
  InitSodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

std::string RandomToken() {
  InitSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace duban
