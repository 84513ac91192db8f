// ScanPage: one page of an ordered scan, resumed from a page token and
// ended with the next one — the loop behind every List in the store.
//
//   PrefixScan scan(*database_, Family::kDraws, "");
//   ASSIGN_OR_RETURN(page.next_page_token,
//                    ScanPage(scan, {.scope = "draws", .page_size = 50, .page_token = token},
//                             [&](absl::string_view key, absl::string_view value)
//                                 -> absl::StatusOr<bool> { /* decode, filter, add */ }));
//
// The scan is a PrefixScan, or anything with its Seek(start), Valid(),
// Next(), key(), value(), prefix() and status() (directory_store.cc pages
// an in-memory map that way).
//
// Not thread-safe: a call uses its scan, which belongs to one thread.
#ifndef DUBAN_STORAGE_PAGED_SCAN_H_
#define DUBAN_STORAGE_PAGED_SCAN_H_

#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "storage/page_token.h"

namespace duban::storage {

// What the key in a page token is. Clients keep tokens across restarts, so
// a listing keeps the kind its tokens have always had.
enum class TokenKey {
  kLastExamined,  // the last key the page examined; the next page starts after it
  kNextKey,       // the first key of the next page, where it starts
};

struct PageRequest {
  // The canonical text of the query; a token made for another is refused.
  absl::string_view scope;
  int page_size = 0;
  // "" for the first page.
  absl::string_view page_token = {};
  // Keys at or after `end` finish the scan as its end does (no token); ""
  // for none.
  absl::string_view end = {};
  // A page also ends, with a token, once this many records were examined,
  // counted or not.
  int scan_budget = std::numeric_limits<int>::max();
  TokenKey token_key = TokenKey::kLastExamined;
};

// The key a page starts from: "" (the start of the scan) without a token.
// INVALID_ARGUMENT naming page_token when the token is malformed, made for
// another scope, or names a key outside `prefix`.
[[nodiscard]] absl::StatusOr<std::string> PageResumeKey(const PageRequest& request,
                                                        absl::string_view prefix);

// Visits the records of `scan` in key order from where `request.page_token`
// left off, until `request.page_size` of them have counted or the scan ends.
// `visit(key, value)` returns absl::StatusOr<bool>: it decodes and filters
// one record, adds it to the caller's page if it belongs, and says whether
// it counted toward page_size. A record that does not count still moves the
// next token on, so a sparse filter makes progress page by page.
//
// Returns the next page's token, made only when another record follows the
// page (so it may lead to an empty page when a filter rejects the rest);
// "" when the scan is done. Fails as PageResumeKey does for a bad token, and
// with the first error of `visit` or of the scan (the caller's page is then
// partial: drop it).
template <typename Scan, typename Visit>
[[nodiscard]] absl::StatusOr<std::string> ScanPage(Scan& scan, const PageRequest& request,
                                                   Visit visit) {
  ASSIGN_OR_RETURN(const std::string resume, PageResumeKey(request, scan.prefix()));
  scan.Seek(resume);
  if (request.token_key == TokenKey::kLastExamined && !request.page_token.empty() && scan.Valid() &&
      scan.key() == resume) {
    scan.Next();
  }
  std::string next_page_token;
  std::string last_examined;
  int counted = 0;
  int examined = 0;
  for (; scan.Valid(); scan.Next()) {
    const absl::string_view key = scan.key();
    if (!request.end.empty() && key >= request.end) break;
    if (counted == request.page_size || examined == request.scan_budget) {
      next_page_token = EncodePageToken(
          request.scope, request.token_key == TokenKey::kNextKey ? key : last_examined);
      break;
    }
    ++examined;
    last_examined.assign(key.data(), key.size());
    ASSIGN_OR_RETURN(const bool counts, visit(key, scan.value()));
    if (counts) ++counted;
  }
  RETURN_IF_ERROR(scan.status());
  return next_page_token;
}

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_PAGED_SCAN_H_
