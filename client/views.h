// How the CLI shows each resource: a detail view for one, a table for many,
// or the protobuf JSON with `-o json`.
#ifndef DUBAN_CLIENT_VIEWS_H_
#define DUBAN_CLIENT_VIEWS_H_

#include <map>
#include <string>

#include "client/session.h"
#include "duban/v1/accountability_service.pb.h"
#include "duban/v1/admin_service.pb.h"
#include "duban/v1/replication_service.pb.h"
#include "duban/v1/audit.pb.h"
#include "duban/v1/calendar_service.pb.h"
#include "duban/v1/directory_service.pb.h"
#include "duban/v1/draw_service.pb.h"
#include "duban/v1/escalation_service.pb.h"
#include "duban/v1/event_service.pb.h"
#include "duban/v1/performance_service.pb.h"
#include "duban/v1/report_service.pb.h"
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
void ShowCalendarStatus(Session& session, const v1::CalendarStatus& status);
void ShowWorkdays(Session& session, const v1::AddWorkingDaysResponse& result);
void ShowPolicy(Session& session, const v1::EscalationPolicy& policy);
void ShowSweep(Session& session, const v1::SweepResponse& sweep);
void ShowIndicator(Session& session, const v1::Indicator& indicator);
void ShowIndicators(Session& session, const v1::ListIndicatorsResponse& page);
void ShowLedgerPolicy(Session& session, const v1::LedgerPolicy& policy);
// The entry's fields, then a table of its charges: UNIT, ROLE, POINTS, VETO.
void ShowLedgerEntry(Session& session, const v1::LedgerEntry& entry);
void ShowLedgerEntries(Session& session, const v1::ListLedgerEntriesResponse& page);
// Veto-failed units first (as the server orders them), marked in VETO.
void ShowScoreboard(Session& session, const v1::Scoreboard& board);
// The unit's row, then one line per charge with its entry, rule and cause.
void ShowScoreExplanation(Session& session, const v1::ScoreExplanation& explanation);

// Unit name → display name ("units/qinglong" → "青龙乡").
using UnitDisplayNames = std::map<std::string, std::string>;
// The draw's fields, a table TIER, TOWNSHIP, VILLAGES (with the display names
// found in `names`), and the tickets it opened.
void ShowDraw(Session& session, const v1::Draw& draw, const UnitDisplayNames& names);
void ShowDraws(Session& session, const v1::ListDrawsResponse& page);
// One row per unit and a TOTAL row.
void ShowCountyReport(Session& session, const v1::CountyReport& report);
void ShowAuditReport(Session& session, const v1::AuditReport& report);
void ShowBackup(Session& session, const v1::Backup& backup);
void ShowServerHealth(Session& session, const v1::ServerHealth& health);
void ShowServerStats(Session& session, const v1::ServerStats& stats);
// Role, epoch, sequence and lag, then the replicas of a primary.
void ShowReplicationStatus(Session& session, const v1::ReplicationStatus& status);

// One line per event (or one JSON object per line with -o json), flushed,
// for following the stream.
void ShowStreamEvent(Session& session, const v1::StreamEvent& item);
// Where lines around a table go — titles, totals, "(more: ...)": stdout, or
// stderr with -o csv so that stdout holds only the rows.
std::ostream& NoteStream(Session& session);
// "(more: --page-token T)" when a list has more pages.
void ShowNextPage(Session& session, const std::string& token);

// "IMPLEMENT" for STAGE_IMPLEMENT: the enum name without `prefix`.
std::string Label(const std::string& enum_name, absl::string_view prefix);
std::string StageOf(v1::Stage stage);
std::string CardOf(v1::Card card);
std::string LevelOf(v1::EscalationLevel level);
std::string TierOf(v1::Tier tier);
// "nongye, ziran" for units/nongye and units/ziran.
std::string ShortNames(const google::protobuf::RepeatedPtrField<std::string>& names);
// What an event says beyond its type: the comment, a new lead unit, the
// escalation and who it went to, the referral.
std::string EventNote(const v1::TicketEvent& event);

}  // namespace duban::cli

#endif  // DUBAN_CLIENT_VIEWS_H_
