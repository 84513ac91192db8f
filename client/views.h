// How the CLI shows each resource: a detail view for one, a table for many,
// or the protobuf JSON with `-o json`.
#ifndef DUBAN_CLIENT_VIEWS_H_
#define DUBAN_CLIENT_VIEWS_H_

#include "client/session.h"
#include "duban/v1/directory_service.pb.h"
#include "duban/v1/ticket_service.pb.h"

namespace duban::cli {

void ShowTicket(Session& session, const v1::Ticket& ticket);
void ShowTickets(Session& session, const v1::ListTicketsResponse& page);
void ShowEvents(Session& session, const v1::ListTicketEventsResponse& page);
void ShowUnit(Session& session, const v1::Unit& unit);
void ShowUnits(Session& session, const v1::ListUnitsResponse& page);
void ShowPrincipal(Session& session, const v1::Principal& principal);
void ShowPrincipals(Session& session, const v1::ListPrincipalsResponse& page);

// "IMPLEMENT" for STAGE_IMPLEMENT: the enum name without `prefix`.
std::string Label(const std::string& enum_name, absl::string_view prefix);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_VIEWS_H_
