#include "storage/paged_scan.h"

#include "absl/strings/match.h"
#include "base/errors.h"

namespace duban::storage {

absl::StatusOr<std::string> PageResumeKey(const PageRequest& request, absl::string_view prefix) {
  if (request.page_token.empty()) return std::string();
  ASSIGN_OR_RETURN(std::string key, DecodePageToken(request.page_token, request.scope));
  if (!absl::StartsWith(key, prefix)) {
    return InvalidField("page_token", "belongs to a different query; start again without it");
  }
  return key;
}

}  // namespace duban::storage
