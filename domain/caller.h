// Caller: the authenticated principal a request acts for.
//
//   if (caller.HasRole(v1::ROLE_INSPECTOR)) ...
//   if (caller.UnitScoped()) query.unit = caller.unit;
#ifndef DUBAN_DOMAIN_CALLER_H_
#define DUBAN_DOMAIN_CALLER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "duban/v1/directory.pb.h"

namespace duban {

struct Caller {
  // `principals/{id}`.
  std::string principal;
  // `units/{id}`, or "" for a principal without a unit.
  std::string unit;
  std::vector<v1::Role> roles;
  // `sessions/{id}` when the call is authenticated by a login session; ""
  // for a bearer token or a client certificate.
  std::string session;
  // When the call must be answered by: its writes are not made after it
  // (InfiniteFuture for the server's own work).
  absl::Time deadline = absl::InfiniteFuture();

  bool HasRole(v1::Role role) const;
  // True when the caller's only role is UNIT_STAFF: it sees and acts on the
  // tickets of its own unit and nothing else.
  bool UnitScoped() const;
};

// The caller a principal record stands for.
Caller CallerFromPrincipal(const v1::Principal& principal);

}  // namespace duban

#endif  // DUBAN_DOMAIN_CALLER_H_
