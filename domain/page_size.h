// The page size a List call uses.
//
//   ASSIGN_OR_RETURN(int page_size, PageSize(request.page_size(), 50, 500));
#ifndef DUBAN_DOMAIN_PAGE_SIZE_H_
#define DUBAN_DOMAIN_PAGE_SIZE_H_

#include <algorithm>

#include "absl/status/statusor.h"
#include "base/errors.h"

namespace duban {

// `requested`, or `fallback` for 0, at most `max`; negative is
// INVALID_ARGUMENT naming page_size.
inline absl::StatusOr<int> PageSize(int requested, int fallback, int max) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return fallback;
  return std::min(requested, max);
}

}  // namespace duban

#endif  // DUBAN_DOMAIN_PAGE_SIZE_H_
