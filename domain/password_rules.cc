#include "domain/password_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/errors.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

// Code points of valid UTF-8: every byte but continuation bytes starts one.
int CountCharacters(absl::string_view text) {
  int count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) >> 6) != 0x2;
  return count;
}

}  // namespace

absl::Status ValidateNewPassword(absl::string_view password, const v1::Principal& principal) {
  if (password.size() > static_cast<size_t>(kMaxPasswordBytes)) {
    return InvalidField("password", absl::StrCat("must be at most ", kMaxPasswordBytes, " bytes"));
  }
  if (!IsValidUtf8(password)) return InvalidField("password", "must be UTF-8 text");
  const int characters = CountCharacters(password);
  for (char c : password) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidField("password", "must not contain control characters");
    }
  }
  if (characters < kMinPasswordChars) {
    return InvalidField("password",
                        absl::StrCat("must be at least ", kMinPasswordChars, " characters"));
  }
  const std::string lowered = absl::AsciiStrToLower(password);
  absl::string_view id = principal.name();
  absl::ConsumePrefix(&id, "principals/");
  if (!id.empty() && absl::StrContains(lowered, absl::AsciiStrToLower(id))) {
    return InvalidField("password", "must not contain the principal's id");
  }
  if (!principal.display_name().empty() &&
      absl::StrContains(lowered, absl::AsciiStrToLower(principal.display_name()))) {
    return InvalidField("password", "must not contain the principal's name");
  }
  return absl::OkStatus();
}

}  // namespace duban
