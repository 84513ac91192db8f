// TicketQuery: which tickets a ListTickets call asks for, parsed from its
// filter and narrowed to what the caller may see.
//
//   ASSIGN_OR_RETURN(TicketQuery query, ParseTicketQuery(request.filter(), now));
//   RETURN_IF_ERROR(ScopeToCaller(caller, query));
//   if (query.Matches(ticket)) ...
#ifndef DUBAN_DOMAIN_TICKET_QUERY_H_
#define DUBAN_DOMAIN_TICKET_QUERY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

struct TicketQuery {
  // Each empty / UNSPECIFIED / false member does not filter.
  std::string unit;  // lead or cooperating
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::string indicator;
  std::string location;
  std::string parent;
  bool overdue = false;
  v1::Card card = v1::CARD_UNSPECIFIED;
  std::string holder_unit;
  std::string inspection_unit;
  std::string responsible_principal;
  // The moment `overdue` is judged at: a ticket is overdue when its stage
  // clock ran out strictly before it.
  absl::Time as_of;

  // True when `ticket` satisfies every term.
  bool Matches(const v1::Ticket& ticket) const;
  // A canonical text of the terms, to tie a page token to its query.
  std::string Canonical() const;
};

// Parses the filter language of ListTickets (see ticket_service.proto).
absl::StatusOr<TicketQuery> ParseTicketQuery(absl::string_view filter, absl::Time as_of);

// Unit staff see only their unit's tickets: an empty `unit` becomes theirs,
// another unit is PERMISSION_DENIED. Other callers are left as they are.
[[nodiscard]] absl::Status ScopeToCaller(const Caller& caller, TicketQuery& query);

}  // namespace duban

#endif  // DUBAN_DOMAIN_TICKET_QUERY_H_
