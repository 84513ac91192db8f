#include "domain/resource_names.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (id.front() < 'a' || id.front() > 'z' || id.back() == '-') return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string TicketName(uint64_t id) { return absl::StrCat(kTicketsPrefix, id); }

absl::StatusOr<uint64_t> ParseNumberedName(absl::string_view name, absl::string_view prefix,
                                           absl::string_view field) {
  uint64_t id = 0;
  const absl::string_view digits =
      absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : absl::string_view();
  const bool ok = !digits.empty() && digits.size() <= 19 && digits.front() != '0' &&
                  digits.find_first_not_of("0123456789") == absl::string_view::npos &&
                  absl::SimpleAtoi(digits, &id) && id > 0;
  if (!ok) {
    return InvalidField(
        field, name.empty() ? "is required" : absl::StrCat("must be a name like ", prefix, "42"));
  }
  return id;
}

absl::StatusOr<uint64_t> ParseTicketName(absl::string_view name, absl::string_view field) {
  return ParseNumberedName(name, kTicketsPrefix, field);
}

std::string UnitName(absl::string_view id) { return absl::StrCat(kUnitsPrefix, id); }
std::string PrincipalName(absl::string_view id) { return absl::StrCat(kPrincipalsPrefix, id); }

bool IsValidName(absl::string_view name, absl::string_view prefix) {
  return absl::StartsWith(name, prefix) && IsValidId(name.substr(prefix.size()));
}

absl::string_view IdOf(absl::string_view name, absl::string_view prefix) {
  if (!absl::StartsWith(name, prefix)) return {};
  return name.substr(prefix.size());
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  if (IsValidId(id)) return absl::OkStatus();
  return InvalidField(field, "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
}

absl::Status ValidateUnitName(absl::string_view field, absl::string_view name) {
  if (IsValidName(name, kUnitsPrefix)) return absl::OkStatus();
  return InvalidField(field, "must be a unit name like units/nongye");
}

absl::Status ValidatePrincipalName(absl::string_view field, absl::string_view name) {
  if (IsValidName(name, kPrincipalsPrefix)) return absl::OkStatus();
  return InvalidField(field, "must be a principal name like principals/li");
}

absl::Status ValidateIndicatorName(absl::string_view field, absl::string_view name) {
  if (IsValidName(name, kIndicatorsPrefix)) return absl::OkStatus();
  return InvalidField(field, "must be an indicator name like indicators/gengdi");
}

}  // namespace duban
