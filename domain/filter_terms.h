// The filter language of List methods: `field=value` terms joined by AND.
//
//   ASSIGN_OR_RETURN(auto terms, ParseFilterTerms("stage=IMPLEMENT AND overdue=true"));
//   // terms == {{"stage", "IMPLEMENT"}, {"overdue", "true"}}
//
// Spaces around `=` and `AND` are allowed; AND is case-insensitive; values
// may be double-quoted to hold spaces. Each field may appear once.
#ifndef DUBAN_DOMAIN_FILTER_TERMS_H_
#define DUBAN_DOMAIN_FILTER_TERMS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

using FilterTerms = std::vector<std::pair<std::string, std::string>>;

// INVALID_ARGUMENT naming the field "filter" when the text is malformed.
absl::StatusOr<FilterTerms> ParseFilterTerms(absl::string_view filter);

}  // namespace duban

#endif  // DUBAN_DOMAIN_FILTER_TERMS_H_
