// How the CLI shows each resource: a detail view for one, a table for many,
// or the protobuf JSON with `-o json`.
#ifndef DUBAN_CLIENT_VIEWS_H_
#define DUBAN_CLIENT_VIEWS_H_

#include "client/session.h"
#include "duban/v1/accountability_service.pb.h"
#include "duban/v1/calendar_service.pb.h"
#include "duban/v1/directory_service.pb.h"
#include "duban/v1/escalation_service.pb.h"
#include "duban/v1/event_service.pb.h"
#include "duban/v1/ticket_service.pb.h"

namespace duban::cli {

void ShowTicket(Session& session, const v1::Ticket& ticket);
void ShowTickets(Session& session, const v1::ListTicketsResponse& page);
void ShowEvents(Session& session, const v1::ListTicketEventsResponse& page);
void ShowUnit(Session& session, const v1::Unit& unit);
void ShowUnits(Session& session, const v1::ListUnitsResponse& page);
void ShowPrincipal(Session& session, const v1::Principal& principal);
void ShowPrincipals(Session& session, const v1::ListPrincipalsResponse& page);

void ShowClocks(Session& session, const v1::TicketClocks& clocks);
void ShowReferral(Session& session, const v1::Referral& referral);
void ShowReferrals(Session& session, const v1::ListReferralsResponse& page);
void ShowRecord(Session& session, const v1::AccountabilityRecord& record);
void ShowCalendar(Session& session, const v1::Calendar& calendar);
void ShowWorkdays(Session& session, const v1::AddWorkingDaysResponse& result);
void ShowPolicy(Session& session, const v1::EscalationPolicy& policy);
void ShowSweep(Session& session, const v1::SweepResponse& sweep);
// One line per event (or one JSON object per line with -o json), flushed,
// for following the stream.
void ShowStreamEvent(Session& session, const v1::StreamEvent& item);

// "IMPLEMENT" for STAGE_IMPLEMENT: the enum name without `prefix`.
std::string Label(const std::string& enum_name, absl::string_view prefix);
std::string StageOf(v1::Stage stage);
std::string CardOf(v1::Card card);
std::string LevelOf(v1::EscalationLevel level);
// What an event says beyond its type: the comment, a new lead unit, the
// escalation and who it went to, the referral.
std::string EventNote(const v1::TicketEvent& event);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_VIEWS_H_
