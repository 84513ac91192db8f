// Short labels of API enums, as the filter language and the CLI write them:
// "IMPLEMENT" for STAGE_IMPLEMENT, "FAR" for TIER_FAR.
//
//   v1::Stage stage;
//   if (ParseEnumLabel("implement", "STAGE_", v1::Stage_Parse, &stage)) ...
#ifndef DUBAN_DOMAIN_ENUM_LABELS_H_
#define DUBAN_DOMAIN_ENUM_LABELS_H_

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace duban {

// Parses `label` with or without `prefix`, in any case, into a non-zero
// value of the enum whose generated parser is `parse`. False when there is
// no such value.
template <typename Enum, typename ParseFn>
bool ParseEnumLabel(absl::string_view label, absl::string_view prefix, ParseFn parse, Enum* out) {
  std::string upper = absl::AsciiStrToUpper(label);
  if (!absl::StartsWith(upper, prefix)) upper = absl::StrCat(prefix, upper);
  Enum parsed;
  if (!parse(upper, &parsed) || static_cast<int>(parsed) == 0) return false;
  *out = parsed;
  return true;
}

// `name` without `prefix`: EnumLabel("STAGE_DEPLOY", "STAGE_")
// is "DEPLOY".
inline std::string EnumLabel(const std::string& name, absl::string_view prefix) {
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

}  // namespace duban

#endif  // DUBAN_DOMAIN_ENUM_LABELS_H_
