// Who may call which method: the one table of method × role, and the
// per-ticket rule for reading.
//
//   RETURN_IF_ERROR(CheckMethodAccess(caller, "duban.v1.TicketService/SignTicket"));
//   RETURN_IF_ERROR(CheckCanSeeTicket(caller, ticket));
//
// Which principal may move a ticket (lead unit, issuer, ...) is the loop's
// business and lives with the transitions (ticket_loop.h).
#ifndef DUBAN_DOMAIN_ACCESS_POLICY_H_
#define DUBAN_DOMAIN_ACCESS_POLICY_H_

#include <span>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/caller.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

// One row of the table. `roles` empty means every authenticated principal.
struct MethodAccess {
  absl::string_view method;  // "duban.v1.TicketService/SignTicket"
  std::span<const v1::Role> roles;
};

// Every method of every service, with the roles that may call it.
std::span<const MethodAccess> MethodAccessTable();

// OK when one of the caller's roles may call `method`; PERMISSION_DENIED
// otherwise, and for a method the table does not list.
[[nodiscard]] absl::Status CheckMethodAccess(const Caller& caller, absl::string_view method);

// True when the caller's unit leads or cooperates on the ticket.
bool IsInvolvedUnit(const Caller& caller, const v1::Ticket& ticket);

// OK when the caller may read the ticket: any role but UNIT_STAFF reads every
// ticket; unit staff read their unit's. PERMISSION_DENIED otherwise.
[[nodiscard]] absl::Status CheckCanSeeTicket(const Caller& caller, const v1::Ticket& ticket);

}  // namespace duban

#endif  // DUBAN_DOMAIN_ACCESS_POLICY_H_
