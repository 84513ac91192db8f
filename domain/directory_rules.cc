#include "domain/directory_rules.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/loop_steps.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

void CheckUnitFields(FieldViolations& violations, const v1::Unit& unit,
                     const UnitDirectory& units) {
  CheckText(violations, "unit.display_name", unit.display_name(), kDisplayName);
  if (unit.kind() == v1::UNIT_KIND_UNSPECIFIED || !v1::UnitKind_IsValid(unit.kind())) {
    violations.Add("unit.kind", "must be a UnitKind such as UNIT_KIND_TOWNSHIP");
  }
  if (unit.kind() == v1::UNIT_KIND_VILLAGE) {
    if (unit.parent().empty()) {
      violations.Add("unit.parent", "is required for a VILLAGE: its township");
    } else {
      CheckUnitRef(violations, "unit.parent", unit.parent(), units, {v1::UNIT_KIND_TOWNSHIP});
    }
  } else if (!unit.parent().empty()) {
    CheckUnitRef(violations, "unit.parent", unit.parent(), units);
  }
  if (!unit.parent().empty() && unit.parent() == unit.name()) {
    violations.Add("unit.parent", "cannot be the unit itself");
  }
  if (!v1::Tier_IsValid(unit.tier())) {
    violations.Add("unit.tier", absl::StrCat("has no value ", unit.tier()));
  } else if (unit.kind() != v1::UNIT_KIND_TOWNSHIP && unit.tier() != v1::TIER_UNSPECIFIED) {
    violations.Add("unit.tier", "is for townships only");
  }
  CheckText(violations, "unit.area", unit.area(), kShortLabel);
  if (unit.kind() != v1::UNIT_KIND_TOWNSHIP && !unit.area().empty()) {
    violations.Add("unit.area", "is for townships only");
  }
}

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

absl::Status ValidateNewUnit(absl::string_view unit_id, const v1::Unit& unit,
                             const UnitDirectory& units) {
  FieldViolations violations;
  if (!IsValidId(unit_id)) {
    violations.Add("unit_id",
                   "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
  }
  v1::Unit named = unit;
  named.set_name(UnitName(unit_id));
  CheckUnitFields(violations, named, units);
  RETURN_IF_ERROR(violations.ToStatus());
  if (units.FindUnit(named.name())) {
    return ErrorWithReason(absl::StatusCode::kAlreadyExists, "UNIT_EXISTS",
                           absl::StrCat(named.name(), " already exists"));
  }
  return absl::OkStatus();
}

absl::Status ValidateUnitUpdate(const v1::Unit& current, const v1::Unit& update,
                                const UnitDirectory& units) {
  FieldViolations violations;
  if (update.kind() != v1::UNIT_KIND_UNSPECIFIED && update.kind() != current.kind()) {
    violations.Add("unit.kind", "cannot change");
  }
  v1::Unit merged = update;
  merged.set_name(current.name());
  merged.set_kind(current.kind());
  CheckUnitFields(violations, merged, units);
  // The parent chain must not lead back to the unit. It is walked to its
  // end, however long: a walk cut short would let a loop through a long
  // chain.
  std::set<std::string> visited;
  std::string ancestor = merged.parent();
  while (!ancestor.empty() && visited.insert(ancestor).second) {
    if (ancestor == current.name()) {
      violations.Add("unit.parent", absl::StrCat(merged.parent(), " is inside ", current.name(),
                                                 "; the parent chain would loop"));
      break;
    }
    std::optional<v1::Unit> next = units.FindUnit(ancestor);
    if (!next) break;
    ancestor = next->parent();
  }
  return violations.ToStatus();
}

v1::Unit NewUnit(absl::string_view unit_id, const v1::Unit& unit, absl::Time now) {
  v1::Unit stored;
  stored.set_name(UnitName(unit_id));
  stored.set_display_name(unit.display_name());
  stored.set_kind(unit.kind());
  stored.set_parent(unit.parent());
  stored.set_tier(unit.tier());
  stored.set_area(unit.area());
  *stored.mutable_create_time() = ToTimestamp(now);
  *stored.mutable_update_time() = ToTimestamp(now);
  stored.set_etag("1");
  return stored;
}

v1::Unit UpdatedUnit(const v1::Unit& current, const v1::Unit& update, absl::Time now) {
  v1::Unit stored = current;
  stored.set_display_name(update.display_name());
  stored.set_parent(update.parent());
  stored.set_tier(update.tier());
  stored.set_area(update.area());
  *stored.mutable_update_time() = ToTimestamp(now);
  int64_t revision = 0;
  (void)absl::SimpleAtoi(current.etag(), &revision);
  stored.set_etag(absl::StrCat(revision + 1));
  return stored;
}

absl::Status ValidatePrincipal(absl::string_view field_prefix, const v1::Principal& principal,
                               bool token_required, const UnitDirectory& units) {
  FieldViolations violations;
  auto field = [&](absl::string_view name) { return absl::StrCat(field_prefix, name); };
  CheckText(violations, field("display_name"), principal.display_name(), kDisplayName);
  std::set<int> roles;
  if (principal.roles().empty()) violations.Add(field("roles"), "needs at least one role");
  for (int i = 0; i < principal.roles_size(); ++i) {
    const int role = principal.roles(i);
    if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
      violations.Add(absl::StrCat(field("roles"), "[", i, "]"), "is not a known role");
    } else if (!roles.insert(role).second) {
      violations.Add(absl::StrCat(field("roles"), "[", i, "]"), "is listed twice");
    }
  }
  if (!principal.unit().empty()) {
    CheckUnitRef(violations, field("unit"), principal.unit(), units);
  } else if (roles.contains(v1::ROLE_UNIT_STAFF)) {
    violations.Add(field("unit"), "is required for UNIT_STAFF");
  }
  const std::string& token = principal.token_sha256();
  if (token.empty()) {
    if (token_required) violations.Add(field("token_sha256"), "is required");
  } else if (token.size() != 64 || !IsLowerHex(token)) {
    violations.Add(field("token_sha256"), "must be 64 lowercase hex digits (SHA-256)");
  }
  return violations.ToStatus();
}

v1::Principal NewPrincipal(absl::string_view principal_id, const v1::Principal& principal,
                           absl::Time now) {
  v1::Principal stored;
  stored.set_name(PrincipalName(principal_id));
  stored.set_display_name(principal.display_name());
  *stored.mutable_roles() = principal.roles();
  stored.set_unit(principal.unit());
  stored.set_token_sha256(principal.token_sha256());
  *stored.mutable_create_time() = ToTimestamp(now);
  *stored.mutable_update_time() = ToTimestamp(now);
  stored.set_etag("1");
  return stored;
}

v1::Principal UpdatedPrincipal(const v1::Principal& current, const v1::Principal& update,
                               absl::Time now) {
  v1::Principal stored = current;
  stored.set_display_name(update.display_name());
  *stored.mutable_roles() = update.roles();
  stored.set_unit(update.unit());
  if (!update.token_sha256().empty()) stored.set_token_sha256(update.token_sha256());
  *stored.mutable_update_time() = ToTimestamp(now);
  int64_t revision = 0;
  (void)absl::SimpleAtoi(current.etag(), &revision);
  stored.set_etag(absl::StrCat(revision + 1));
  return stored;
}

v1::Principal Redacted(v1::Principal principal) {
  principal.clear_token_sha256();
  return principal;
}

absl::Status Validate(const v1::CreateUnitRequest& request) {
  return ValidateId("unit_id", request.unit_id());
}

absl::Status Validate(const v1::UpdateUnitRequest& request) {
  return ValidateUnitName("unit.name", request.unit().name());
}

absl::Status Validate(const v1::GetUnitRequest& request) {
  return ValidateUnitName("name", request.name());
}

absl::Status Validate(const v1::CreatePrincipalRequest& request, const UnitDirectory& units) {
  RETURN_IF_ERROR(ValidateId("principal_id", request.principal_id()));
  return ValidatePrincipal("principal.", request.principal(), /*token_required=*/true, units);
}

absl::Status Validate(const v1::UpdatePrincipalRequest& request, const UnitDirectory& units) {
  RETURN_IF_ERROR(ValidatePrincipalName("principal.name", request.principal().name()));
  return ValidatePrincipal("principal.", request.principal(), /*token_required=*/false, units);
}

absl::Status Validate(const v1::GetPrincipalRequest& request) {
  return ValidatePrincipalName("name", request.name());
}

absl::Status ValidateKnownUnit(absl::string_view field, absl::string_view name,
                               const UnitDirectory& units) {
  RETURN_IF_ERROR(ValidateUnitName(field, name));
  if (units.FindUnit(name)) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kNotFound, "UNIT_NOT_FOUND", absl::StrCat("no ", name));
}

}  // namespace duban
