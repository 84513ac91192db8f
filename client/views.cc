// How the CLI shows tickets, their events, units and principals, and the
// helpers the other views share; views.h declares every view.
#include "client/views.h"

#include <ostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/output.h"

namespace duban::cli {

std::string ShortNames(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<std::string> shorts;
  for (const std::string& name : names) shorts.push_back(ShortName(name));
  return absl::StrJoin(shorts, ", ");
}

namespace {

std::string Rollup(const v1::Rollup& rollup) {
  if (rollup.total() == 0) return "";
  std::vector<std::string> parts;
  for (const v1::StageCount& count : rollup.by_stage()) {
    parts.push_back(absl::StrCat(StageOf(count.stage()), " ", count.count()));
  }
  std::string text = absl::StrCat(rollup.total(), " sub-tickets: ", absl::StrJoin(parts, ", "));
  if (rollup.has_mean_progress_percent()) {
    absl::StrAppend(&text, "; ", absl::StrFormat("%.0f%%", rollup.mean_progress_percent()),
                    " done on average");
  }
  if (rollup.overdue() > 0) absl::StrAppend(&text, "; ", rollup.overdue(), " overdue");
  for (const v1::CardCount& count : rollup.cards()) {
    absl::StrAppend(&text, "; ", CardOf(count.card()), " ", count.count());
  }
  return text;
}

}  // namespace

std::ostream& NoteStream(Session& session) {
  return session.format() == OutputFormat::kCsv ? session.err() : session.out();
}

void ShowNextPage(Session& session, const std::string& token) {
  if (!token.empty()) NoteStream(session) << "(more: --page-token " << token << ")\n";
}

std::string Label(const std::string& enum_name, absl::string_view prefix) {
  return absl::StartsWith(enum_name, prefix) ? enum_name.substr(prefix.size()) : enum_name;
}

std::string StageOf(v1::Stage stage) { return Label(v1::Stage_Name(stage), "STAGE_"); }

std::string CardOf(v1::Card card) {
  return card == v1::CARD_UNSPECIFIED ? "" : Label(v1::Card_Name(card), "CARD_");
}

std::string LevelOf(v1::EscalationLevel level) {
  return Label(v1::EscalationLevel_Name(level), "ESCALATION_LEVEL_");
}

std::string TierOf(v1::Tier tier) {
  return tier == v1::TIER_UNSPECIFIED ? "" : Label(v1::Tier_Name(tier), "TIER_");
}

// What an event says beyond its type: the comment, the new lead unit, the
// escalation, the referral.
std::string EventNote(const v1::TicketEvent& event) {
  std::string note = event.comment();
  if (!event.lead_unit().empty() && !event.previous_lead_unit().empty()) {
    note = absl::StrCat(ShortName(event.previous_lead_unit()), "→", ShortName(event.lead_unit()),
                        note.empty() ? "" : ": ", note);
  }
  if (event.type() == v1::EVENT_TYPE_ESCALATED) {
    std::vector<std::string> recipients;
    for (const std::string& recipient : event.recipients())
      recipients.push_back(ShortName(recipient));
    note = absl::StrCat(LevelOf(event.level()), " on ", ShortName(event.holder_unit()), " → ",
                        absl::StrJoin(recipients, ","));
  }
  if (event.type() == v1::EVENT_TYPE_REFERRAL_DECIDED) {
    note = absl::StrCat(Label(v1::DispositionKind_Name(event.disposition()), "DISPOSITION_KIND_"),
                        ": ", note);
  }
  if (!event.referral().empty()) absl::StrAppend(&note, " [", event.referral(), "]");
  return note;
}

void ShowTicket(Session& session, const v1::Ticket& ticket) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), ticket);
  const absl::TimeZone zone = session.zone();
  std::string stage = StageOf(ticket.stage());
  if (ticket.has_dispute()) absl::StrAppend(&stage, " (disputed: ", ticket.dispute().reason(), ")");
  std::string holder = ShortName(ticket.holder_unit());
  if (ticket.stage_due_basis().weekends_only()) {
    absl::StrAppend(&holder, " (deadline counted on weekends only: no calendar for that year)");
  }
  std::string extension;
  if (ticket.has_pending_extension()) {
    extension =
        absl::StrCat("to ", FormatTime(ticket.pending_extension().proposed_due_time(), zone), ": ",
                     ticket.pending_extension().reason());
  }
  PrintFields(session.out(), session.format(),
              {{"ticket", ticket.name()},
               {"kind", Label(v1::TicketKind_Name(ticket.kind()), "TICKET_KIND_")},
               {"title", ticket.title()},
               {"detail", ticket.detail()},
               {"stage", stage},
               {"stage due", FormatTime(ticket.stage_due_time(), zone)},
               {"held by", holder},
               {"card", ticket.card() > v1::CARD_NONE ? CardOf(ticket.card()) : ""},
               {"next escalation", IsSetTime(ticket.next_escalation_time())
                                       ? FormatTime(ticket.next_escalation_time(), zone)
                                       : ""},
               {"extension asked", extension},
               {"due", IsSetTime(ticket.due_time()) ? FormatTime(ticket.due_time(), zone) : ""},
               {"severity", Label(v1::Severity_Name(ticket.severity()), "SEVERITY_")},
               {"lead unit", ShortName(ticket.lead_unit())},
               {"cooperating", ShortNames(ticket.cooperating_units())},
               {"issuer", ShortName(ticket.issuer())},
               {"location", ShortName(ticket.location())},
               {"indicator", ShortName(ticket.indicator())},
               {"parent", ticket.parent()},
               {"inspection", ticket.requires_inspection() ? "" : "not required"},
               {"progress",
                ticket.progress_percent() > 0 ? absl::StrCat(ticket.progress_percent(), "%") : ""},
               {"findings", ticket.findings()},
               {"rectify by", IsSetTime(ticket.rectification_due_time())
                                  ? FormatTime(ticket.rectification_due_time(), zone)
                                  : ""},
               {"evidence", absl::StrJoin(ticket.evidence(), ", ")},
               {"sub-tickets", Rollup(ticket.rollup())},
               {"referrals", absl::StrJoin(ticket.referrals(), ", ")},
               {"updated", FormatTime(ticket.update_time(), zone)},
               {"etag", ticket.etag()}});
}

void ShowTickets(Session& session, const v1::ListTicketsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"TICKET", "STAGE", "STAGE DUE", "CARD", "SEVERITY", "HELD BY", "TITLE"});
  for (const v1::Ticket& ticket : page.tickets()) {
    table.AddRow(
        {ShortName(ticket.name()), StageOf(ticket.stage()) + (ticket.has_dispute() ? "*" : ""),
         FormatTime(ticket.stage_due_time(), session.zone()),
         ticket.card() > v1::CARD_NONE ? CardOf(ticket.card()) : "-",
         Label(v1::Severity_Name(ticket.severity()), "SEVERITY_"),
         ticket.holder_unit().empty() ? "-" : ShortName(ticket.holder_unit()), ticket.title()});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

void ShowEvents(Session& session, const v1::ListTicketEventsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"#", "TIME", "EVENT", "ACTOR", "STAGE", "NOTE"});
  for (const v1::TicketEvent& event : page.events()) {
    std::string stage = StageOf(event.to_stage());
    if (event.from_stage() != v1::STAGE_UNSPECIFIED && event.from_stage() != event.to_stage()) {
      stage = absl::StrCat(StageOf(event.from_stage()), "→", stage);
    }
    const std::string note = EventNote(event);
    table.AddRow({absl::StrCat(event.sequence()), FormatTime(event.create_time(), session.zone()),
                  Label(v1::EventType_Name(event.type()), "EVENT_TYPE_"), ShortName(event.actor()),
                  stage, note});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

void ShowUnit(Session& session, const v1::Unit& unit) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), unit);
  PrintFields(session.out(), session.format(),
              {{"unit", unit.name()},
               {"name", unit.display_name()},
               {"kind", Label(v1::UnitKind_Name(unit.kind()), "UNIT_KIND_")},
               {"parent", ShortName(unit.parent())},
               {"tier", TierOf(unit.tier())},
               {"area", unit.area()},
               {"etag", unit.etag()}});
}

void ShowUnits(Session& session, const v1::ListUnitsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"UNIT", "KIND", "PARENT", "TIER", "AREA", "NAME"});
  for (const v1::Unit& unit : page.units()) {
    table.AddRow({ShortName(unit.name()), Label(v1::UnitKind_Name(unit.kind()), "UNIT_KIND_"),
                  unit.parent().empty() ? "-" : ShortName(unit.parent()),
                  unit.tier() == v1::TIER_UNSPECIFIED ? "-" : TierOf(unit.tier()),
                  unit.area().empty() ? "-" : unit.area(), unit.display_name()});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

namespace {

std::string Roles(const v1::Principal& principal) {
  std::vector<std::string> roles;
  for (int role : principal.roles()) {
    roles.push_back(Label(v1::Role_Name(static_cast<v1::Role>(role)), "ROLE_"));
  }
  return absl::StrJoin(roles, ",");
}

}  // namespace

void ShowPrincipal(Session& session, const v1::Principal& principal) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), principal);
  PrintFields(session.out(), session.format(),
              {{"principal", principal.name()},
               {"name", principal.display_name()},
               {"roles", Roles(principal)},
               {"unit", ShortName(principal.unit())},
               {"etag", principal.etag()}});
}

void ShowPrincipals(Session& session, const v1::ListPrincipalsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"PRINCIPAL", "ROLES", "UNIT", "NAME"});
  for (const v1::Principal& principal : page.principals()) {
    table.AddRow({ShortName(principal.name()), Roles(principal),
                  principal.unit().empty() ? "-" : ShortName(principal.unit()),
                  principal.display_name()});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

}  // namespace duban::cli
