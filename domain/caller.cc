#include "domain/caller.h"

#include <algorithm>

namespace duban {

bool Caller::HasRole(v1::Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Caller::UnitScoped() const {
  return std::all_of(roles.begin(), roles.end(),
                     [](v1::Role role) { return role == v1::ROLE_UNIT_STAFF; });
}

Caller CallerFromPrincipal(const v1::Principal& principal) {
  Caller caller;
  caller.principal = principal.name();
  caller.unit = principal.unit();
  for (int role : principal.roles()) caller.roles.push_back(static_cast<v1::Role>(role));
  return caller;
}

}  // namespace duban
