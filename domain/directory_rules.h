// What makes a unit or a principal valid, and what an update may change.
//
//   RETURN_IF_ERROR(ValidateNewUnit(request.unit_id(), request.unit(), directory));
//   v1::Unit stored = NewUnit(request.unit_id(), request.unit(), now);
#ifndef DUBAN_DOMAIN_DIRECTORY_RULES_H_
#define DUBAN_DOMAIN_DIRECTORY_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/unit_directory.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/directory_service.pb.h"

namespace duban {

// A unit to create with id `unit_id`: a valid id not yet taken, a display
// name, a kind; a VILLAGE's parent is a TOWNSHIP; tier and area only on
// townships. INVALID_ARGUMENT naming each bad field; ALREADY_EXISTS for a
// taken id.
[[nodiscard]] absl::Status ValidateNewUnit(absl::string_view unit_id, const v1::Unit& unit,
                                           const UnitDirectory& units);
// An update of `current` to `update` (same name; the kind cannot change).
[[nodiscard]] absl::Status ValidateUnitUpdate(const v1::Unit& current, const v1::Unit& update,
                                              const UnitDirectory& units);
// The stored unit: the user's fields with name, times and etag set.
v1::Unit NewUnit(absl::string_view unit_id, const v1::Unit& unit, absl::Time now);
v1::Unit UpdatedUnit(const v1::Unit& current, const v1::Unit& update, absl::Time now);

// A principal to create: a valid id, a display name, at least one known
// role, a unit that exists (required for UNIT_STAFF), and a token_sha256 of
// 64 lowercase hex digits.
[[nodiscard]] absl::Status ValidatePrincipal(absl::string_view field_prefix,
                                             const v1::Principal& principal, bool token_required,
                                             const UnitDirectory& units);
v1::Principal NewPrincipal(absl::string_view principal_id, const v1::Principal& principal,
                           absl::Time now);
// Keeps the current token when the update carries none.
v1::Principal UpdatedPrincipal(const v1::Principal& current, const v1::Principal& update,
                               absl::Time now);

// The principal as the API shows it: without its token hash.
v1::Principal Redacted(v1::Principal principal);

// What a directory request must carry before the directory is read:
// CreateUnit a valid unit_id (ValidateNewUnit checks the rest when the id
// is claimed), UpdateUnit a unit.name, GetUnit a name; CreatePrincipal a
// valid principal_id, then ValidatePrincipal of "principal." with a token;
// UpdatePrincipal a principal.name, then ValidatePrincipal without one;
// GetPrincipal a name. INVALID_ARGUMENT naming a bad id or name alone, or
// else each bad field of the principal.
[[nodiscard]] absl::Status Validate(const v1::CreateUnitRequest& request);
[[nodiscard]] absl::Status Validate(const v1::UpdateUnitRequest& request);
[[nodiscard]] absl::Status Validate(const v1::GetUnitRequest& request);
[[nodiscard]] absl::Status Validate(const v1::CreatePrincipalRequest& request,
                                    const UnitDirectory& units);
[[nodiscard]] absl::Status Validate(const v1::UpdatePrincipalRequest& request,
                                    const UnitDirectory& units);
[[nodiscard]] absl::Status Validate(const v1::GetPrincipalRequest& request);

// `name` names a unit of `units`: INVALID_ARGUMENT naming `field` when it is
// not a unit name; NOT_FOUND with reason UNIT_NOT_FOUND ("no {name}") when
// there is no such unit.
[[nodiscard]] absl::Status ValidateKnownUnit(absl::string_view field, absl::string_view name,
                                             const UnitDirectory& units);

}  // namespace duban

#endif  // DUBAN_DOMAIN_DIRECTORY_RULES_H_
