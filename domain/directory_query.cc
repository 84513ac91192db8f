#include "domain/directory_query.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "domain/enum_labels.h"
#include "domain/filter_terms.h"
#include "domain/resource_names.h"

namespace duban {
namespace {

absl::Status BadValue(absl::string_view field, absl::string_view value) {
  return InvalidField("filter", absl::StrCat("has a bad value for ", field, ": ", value));
}

}  // namespace

bool UnitQuery::Matches(const v1::Unit& unit) const {
  if (kind != v1::UNIT_KIND_UNSPECIFIED && unit.kind() != kind) return false;
  if (!parent.empty() && unit.parent() != parent) return false;
  if (tier != v1::TIER_UNSPECIFIED && unit.tier() != tier) return false;
  return true;
}

std::string UnitQuery::Canonical() const {
  return absl::StrCat("kind=", kind, "\nparent=", parent, "\ntier=", tier);
}

bool PrincipalQuery::Matches(const v1::Principal& principal) const {
  if (!unit.empty() && principal.unit() != unit) return false;
  if (role != v1::ROLE_UNSPECIFIED && std::find(principal.roles().begin(), principal.roles().end(),
                                                role) == principal.roles().end()) {
    return false;
  }
  return true;
}

std::string PrincipalQuery::Canonical() const {
  return absl::StrCat("unit=", unit, "\nrole=", role);
}

absl::StatusOr<UnitQuery> ParseUnitQuery(absl::string_view filter) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  UnitQuery query;
  for (const auto& [field, value] : *terms) {
    if (field == "kind") {
      if (!ParseEnumLabel(value, "UNIT_KIND_", v1::UnitKind_Parse, &query.kind)) {
        return BadValue(field, value);
      }
    } else if (field == "parent") {
      if (!IsValidName(value, kUnitsPrefix)) return BadValue(field, value);
      query.parent = value;
    } else if (field == "tier") {
      if (!ParseEnumLabel(value, "TIER_", v1::Tier_Parse, &query.tier)) {
        return BadValue(field, value);
      }
    } else {
      return InvalidField("filter",
                          absl::StrCat("has no field ", field, "; use kind, parent or tier"));
    }
  }
  return query;
}

absl::StatusOr<PrincipalQuery> ParsePrincipalQuery(absl::string_view filter) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  PrincipalQuery query;
  for (const auto& [field, value] : *terms) {
    if (field == "unit") {
      if (!IsValidName(value, kUnitsPrefix)) return BadValue(field, value);
      query.unit = value;
    } else if (field == "role") {
      if (!ParseEnumLabel(value, "ROLE_", v1::Role_Parse, &query.role)) {
        return BadValue(field, value);
      }
    } else {
      return InvalidField("filter", absl::StrCat("has no field ", field, "; use unit or role"));
    }
  }
  return query;
}

}  // namespace duban
