// Resource names of the API: `tickets/{n}`, `units/{id}`, `principals/{id}`,
// `indicators/{code}`.
//
//   ASSIGN_OR_RETURN(uint64_t id, ParseTicketName(request.name(), "name"));
//   std::string name = TicketName(id);   // "tickets/42"
//
// Parsers return INVALID_ARGUMENT naming `field` when the name is malformed.
#ifndef DUBAN_DOMAIN_RESOURCE_NAMES_H_
#define DUBAN_DOMAIN_RESOURCE_NAMES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace duban {

inline constexpr absl::string_view kTicketsPrefix = "tickets/";
inline constexpr absl::string_view kUnitsPrefix = "units/";
inline constexpr absl::string_view kPrincipalsPrefix = "principals/";
inline constexpr absl::string_view kIndicatorsPrefix = "indicators/";

// An id of a unit, principal or indicator: 1–63 characters of [a-z0-9-],
// starting with a letter, not ending with '-'.
bool IsValidId(absl::string_view id);

// `{prefix}{n}` with n a positive decimal without leading zeros → n.
// INVALID_ARGUMENT naming `field` otherwise ("must be a name like
// {prefix}42").
absl::StatusOr<uint64_t> ParseNumberedName(absl::string_view name, absl::string_view prefix,
                                           absl::string_view field);

std::string TicketName(uint64_t id);
// Accepts `tickets/{n}` with n a positive decimal number.
absl::StatusOr<uint64_t> ParseTicketName(absl::string_view name, absl::string_view field);

std::string UnitName(absl::string_view id);
std::string PrincipalName(absl::string_view id);

// True when `name` is `prefix` followed by a valid id.
bool IsValidName(absl::string_view name, absl::string_view prefix);

// The id part of `name`, which must start with `prefix`; "" otherwise.
absl::string_view IdOf(absl::string_view name, absl::string_view prefix);

// OK when IsValidId(id); INVALID_ARGUMENT naming `field` otherwise ("must
// be 1-63 characters of a-z, 0-9 and '-', starting with a letter").
[[nodiscard]] absl::Status ValidateId(absl::string_view field, absl::string_view id);

// OK when `name` is `units/{id}`, `principals/{id}` or `indicators/{id}`
// with a valid id; INVALID_ARGUMENT naming `field` otherwise, with an
// example of such a name.
[[nodiscard]] absl::Status ValidateUnitName(absl::string_view field, absl::string_view name);
[[nodiscard]] absl::Status ValidatePrincipalName(absl::string_view field, absl::string_view name);
[[nodiscard]] absl::Status ValidateIndicatorName(absl::string_view field, absl::string_view name);

}  // namespace duban

#endif  // DUBAN_DOMAIN_RESOURCE_NAMES_H_
