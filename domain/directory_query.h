// Queries of ListUnits and ListPrincipals, parsed from their filters.
//
//   ASSIGN_OR_RETURN(UnitQuery query, ParseUnitQuery("kind=TOWNSHIP AND tier=FAR"));
//   if (query.Matches(unit)) ...
#ifndef DUBAN_DOMAIN_DIRECTORY_QUERY_H_
#define DUBAN_DOMAIN_DIRECTORY_QUERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "duban/v1/directory.pb.h"

namespace duban {

struct UnitQuery {
  v1::UnitKind kind = v1::UNIT_KIND_UNSPECIFIED;
  std::string parent;
  v1::Tier tier = v1::TIER_UNSPECIFIED;

  bool Matches(const v1::Unit& unit) const;
  std::string Canonical() const;
};

struct PrincipalQuery {
  std::string unit;
  v1::Role role = v1::ROLE_UNSPECIFIED;

  bool Matches(const v1::Principal& principal) const;
  std::string Canonical() const;
};

// Terms: kind=TOWNSHIP, parent=units/ID, tier=FAR.
absl::StatusOr<UnitQuery> ParseUnitQuery(absl::string_view filter);
// Terms: unit=units/ID, role=INSPECTOR.
absl::StatusOr<PrincipalQuery> ParsePrincipalQuery(absl::string_view filter);

}  // namespace duban

#endif  // DUBAN_DOMAIN_DIRECTORY_QUERY_H_
