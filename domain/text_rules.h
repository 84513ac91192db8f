// Rules for free text in requests: valid UTF-8, bounded size, no control
// characters (but newline and tab in long text).
//
//   FieldViolations violations;
//   CheckText(violations, "ticket.title", ticket.title(), kTitle);
#ifndef DUBAN_DOMAIN_TEXT_RULES_H_
#define DUBAN_DOMAIN_TEXT_RULES_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "base/errors.h"

namespace duban {

struct TextLimit {
  size_t max_bytes;
  bool required;
  bool multiline;
};

inline constexpr TextLimit kTitle{600, true, false};  // ~200 汉字
inline constexpr TextLimit kDisplayName{300, true, false};
inline constexpr TextLimit kLongText{16 * 1024, false, true};  // detail
inline constexpr TextLimit kRequiredNote{8 * 1024, true, true};
inline constexpr TextLimit kOptionalNote{8 * 1024, false, true};
inline constexpr TextLimit kReference{512, true, false};  // evidence refs
inline constexpr TextLimit kRequestId{128, false, false};
inline constexpr TextLimit kShortLabel{60, false, false};  // e.g. an area

inline constexpr size_t kMaxEvidencePerCall = 20;

// True when `text` is well-formed UTF-8 (no overlong forms or surrogates).
bool IsValidUtf8(absl::string_view text);

// Adds a violation for `field` when `text` breaks `limit`.
void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view text,
               TextLimit limit);

}  // namespace duban

#endif  // DUBAN_DOMAIN_TEXT_RULES_H_
