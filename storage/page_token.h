// Page tokens: opaque to clients, tied to the query they came from.
//
// A token is base64url( kTokenV1 | FNV-1a 64 of the scope (8 BE) | resume
// key ), where the scope is a canonical text of the query and the resume key
// is the last storage key the previous page examined. Tokens stay valid
// across restarts.
#ifndef DUBAN_STORAGE_PAGE_TOKEN_H_
#define DUBAN_STORAGE_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban::storage {

std::string EncodePageToken(absl::string_view scope, absl::string_view resume_key);

// The resume key of `token`; INVALID_ARGUMENT naming page_token when the
// token is malformed or was made for another scope.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view scope);

// The smallest key greater than every key that starts with `prefix`; ""
// when there is none (a prefix of only 0xFF bytes).
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_PAGE_TOKEN_H_
