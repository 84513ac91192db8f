// How the CLI shows indicators, the ledger policy, ledger entries, the
// scoreboard and the explanation of a score.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {
namespace {

std::string KindOf(v1::LedgerEntryKind kind) {
  return Label(v1::LedgerEntryKind_Name(kind), "LEDGER_ENTRY_KIND_");
}

std::string RoleOf(v1::ChargeRole role) { return Label(v1::ChargeRole_Name(role), "CHARGE_ROLE_"); }

std::string SourceOf(v1::LedgerSource source) {
  return Label(v1::LedgerSource_Name(source), "LEDGER_SOURCE_");
}

// What a charge does to the unit's veto standing: "FAILED", "cleared" or "".
std::string VetoOf(const v1::Charge& charge) {
  if (charge.veto_failed()) return "FAILED";
  if (charge.veto_cleared()) return "cleared";
  return "";
}

// "nongye -6, tongji -4.2" or "ziran FAILED, nongye FAILED".
std::string ChargeSummary(const v1::LedgerEntry& entry) {
  std::vector<std::string> parts;
  for (const v1::Charge& charge : entry.charges()) {
    const std::string veto = VetoOf(charge);
    parts.push_back(absl::StrCat(ShortName(charge.unit()), " ",
                                 veto.empty() ? charge.points() : "veto " + veto));
  }
  return absl::StrJoin(parts, ", ");
}

// How a charge was computed: "2 × 3 × 0.7, policy v1" for a cooperating
// unit's share of a 2-point deduction.
std::string RuleOf(const v1::ExplainedCharge& charge) {
  const std::string policy = absl::StrCat("policy v", charge.policy_version());
  switch (charge.kind()) {
    case v1::LEDGER_ENTRY_KIND_DEDUCTION:
      return absl::StrCat(charge.county_points(), " × ", charge.lead_multiplier(),
                          charge.role() == v1::CHARGE_ROLE_COOPERATING
                              ? absl::StrCat(" × ", charge.cooperating_ratio())
                              : "",
                          ", ", policy);
    case v1::LEDGER_ENTRY_KIND_VETO_FAILURE:
      return absl::StrCat("one-vote veto, ", policy);
    case v1::LEDGER_ENTRY_KIND_REVERSAL:
      return absl::StrCat("undoes ", charge.reverses(), ", ", policy);
    default:
      return policy;
  }
}

// "MANUAL", "MANUAL: tickets/3" or "REFERRAL_RULE: tickets/3 (events 7)".
std::string CauseOf(v1::LedgerSource source, const std::string& ticket,
                    const google::protobuf::RepeatedPtrField<std::string>& events) {
  std::string cause = SourceOf(source);
  if (!ticket.empty()) absl::StrAppend(&cause, ": ", ticket);
  if (!events.empty()) absl::StrAppend(&cause, " (events ", ShortNames(events), ")");
  return cause;
}

std::string FailedIndicators(const v1::ScoreRow& row) {
  if (!row.veto_failed()) return "";
  return absl::StrCat("FAILED: ", absl::StrJoin(row.failed_indicators(), ", "));
}

}  // namespace

void ShowIndicator(Session& session, const v1::Indicator& indicator) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), indicator);
  PrintFields(session.out(), session.format(),
              {{"indicator", indicator.name()},
               {"name", indicator.display_name()},
               {"points", indicator.points()},
               {"lead unit", ShortName(indicator.lead_unit())},
               {"cooperating", ShortNames(indicator.cooperating_units())},
               {"veto", indicator.veto() ? "one-vote veto (一票否决)" : "no"},
               {"description", indicator.description()},
               {"updated", FormatTime(indicator.update_time(), session.zone())},
               {"etag", indicator.etag()}});
}

void ShowIndicators(Session& session, const v1::ListIndicatorsResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"INDICATOR", "POINTS", "VETO", "LEAD", "COOPERATING", "NAME"});
  for (const v1::Indicator& indicator : page.indicators()) {
    table.AddRow(
        {ShortName(indicator.name()), indicator.points(), indicator.veto() ? "veto" : "-",
         ShortName(indicator.lead_unit()),
         indicator.cooperating_units().empty() ? "-" : ShortNames(indicator.cooperating_units()),
         indicator.display_name()});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

void ShowLedgerPolicy(Session& session, const v1::LedgerPolicy& policy) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), policy);
  PrintFields(
      session.out(), session.format(),
      {{"version", absl::StrCat(policy.version(), " (etag ", policy.etag(), ")")},
       {"lead unit", absl::StrCat(policy.lead_multiplier(), " × the points D deducted")},
       {"cooperating", absl::StrCat(policy.cooperating_ratio(), " × the lead unit's charge")},
       {"base points", policy.base_points()},
       {"referral rule", policy.deduct_on_referral()
                             ? absl::StrCat("on: a referral on a ticket with an indicator deducts ",
                                            policy.referral_deduction())
                             : "off"},
       {"late-close rule",
        policy.deduct_on_late_close()
            ? absl::StrCat("on: closing a ticket with an indicator late deducts ",
                           policy.late_close_deduction())
            : "off"},
       {"updated",
        IsSetTime(policy.update_time()) ? FormatTime(policy.update_time(), session.zone()) : ""}});
}

void ShowLedgerEntry(Session& session, const v1::LedgerEntry& entry) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), entry);
  PrintFields(session.out(), session.format(),
              {{"entry", entry.name()},
               {"kind", KindOf(entry.kind())},
               {"indicator", entry.indicator()},
               {"period", entry.period()},
               {"county points", entry.county_points()},
               {"reason", entry.reason()},
               {"reverses", entry.reverses()},
               {"source", CauseOf(entry.source(), entry.source_ticket(), entry.source_events())},
               {"evidence", absl::StrJoin(entry.evidence(), ", ")},
               {"policy", absl::StrCat("version ", entry.policy_version(), " (lead × ",
                                       entry.lead_multiplier(), ", cooperating × ",
                                       entry.cooperating_ratio(), ")")},
               {"by", ShortName(entry.actor())},
               {"created", FormatTime(entry.create_time(), session.zone())}});
  session.out() << "\n";
  Table charges({"UNIT", "ROLE", "POINTS", "VETO"});
  for (const v1::Charge& charge : entry.charges()) {
    const std::string veto = VetoOf(charge);
    charges.AddRow({ShortName(charge.unit()), RoleOf(charge.role()), charge.points(),
                    veto.empty() ? "-" : veto});
  }
  charges.Print(session.out(), session.format());
}

void ShowLedgerEntries(Session& session, const v1::ListLedgerEntriesResponse& page) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), page);
  Table table({"ENTRY", "TIME", "KIND", "INDICATOR", "PERIOD", "DEDUCTED", "CHARGES", "REASON"});
  for (const v1::LedgerEntry& entry : page.entries()) {
    std::string kind = KindOf(entry.kind());
    if (!entry.reverses().empty()) absl::StrAppend(&kind, " of ", ShortName(entry.reverses()));
    table.AddRow({ShortName(entry.name()), FormatTime(entry.create_time(), session.zone()), kind,
                  ShortName(entry.indicator()), entry.period(),
                  entry.county_points().empty() ? "-" : entry.county_points(), ChargeSummary(entry),
                  entry.reason()});
  }
  table.Print(session.out(), session.format());
  ShowNextPage(session, page.next_page_token());
}

void ShowScoreboard(Session& session, const v1::Scoreboard& board) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), board);
  NoteStream(session) << "scoreboard " << board.period() << "\n";
  Table table({"UNIT", "NAME", "BASE", "CHARGED", "SCORE", "VETO"});
  for (const v1::ScoreRow& row : board.rows()) {
    const std::string failed = FailedIndicators(row);
    table.AddRow({ShortName(row.unit()), row.display_name(), row.base_points(),
                  row.charged_points(), row.score(), failed.empty() ? "-" : failed});
  }
  table.Print(session.out(), session.format());
}

void ShowScoreExplanation(Session& session, const v1::ScoreExplanation& explanation) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), explanation);
  const v1::ScoreRow& row = explanation.row();
  PrintFields(session.out(), session.format(),
              {{"unit", absl::StrCat(row.unit(), " ", row.display_name())},
               {"period", explanation.period()},
               {"score", absl::StrCat(row.score(), " = ", row.base_points(), " base ",
                                      row.charged_points(), " charged")},
               {"veto", row.veto_failed() ? FailedIndicators(row) : "not failed"},
               {"entries", absl::StrCat(row.entries())}});
  if (explanation.charges().empty()) return;
  session.out() << "\n";
  Table table({"TIME", "ENTRY", "INDICATOR", "ROLE", "POINTS", "RULE", "REASON", "CAUSE"});
  for (const v1::ExplainedCharge& charge : explanation.charges()) {
    std::string points = charge.veto_failed() ? "veto FAILED" : charge.points();
    table.AddRow({FormatTime(charge.create_time(), session.zone()), charge.entry(),
                  absl::StrCat(ShortName(charge.indicator()), " ", charge.indicator_display_name()),
                  RoleOf(charge.role()), points, RuleOf(charge), charge.reason(),
                  CauseOf(charge.source(), charge.source_ticket(), charge.source_events())});
  }
  table.Print(session.out(), session.format());
}

}  // namespace duban::cli
