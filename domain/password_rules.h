// What a password must be: long enough to resist guessing, short enough to
// hash cheaply, and not the principal's own id or name.
//
//   RETURN_IF_ERROR(ValidateNewPassword(request.password(), principal));
#ifndef DUBAN_DOMAIN_PASSWORD_RULES_H_
#define DUBAN_DOMAIN_PASSWORD_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "duban/v1/directory.pb.h"

namespace duban {

// Characters (Unicode code points), and bytes.
inline constexpr int kMinPasswordChars = 8;
inline constexpr int kMaxPasswordBytes = 128;

// OK, or INVALID_ARGUMENT naming `password`: shorter than
// kMinPasswordChars characters, longer than kMaxPasswordBytes bytes, not
// UTF-8, containing a control character, or containing the principal's id
// or display name (ignoring case).
[[nodiscard]] absl::Status ValidateNewPassword(absl::string_view password,
                                               const v1::Principal& principal);

}  // namespace duban

#endif  // DUBAN_DOMAIN_PASSWORD_RULES_H_
