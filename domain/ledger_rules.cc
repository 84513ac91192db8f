#include "domain/ledger_rules.h"

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "domain/ledger.h"

namespace duban {
namespace {

bool IsReferral(const v1::TicketEvent& event) {
  return event.type() == v1::EVENT_TYPE_REFERRED ||
         (event.type() == v1::EVENT_TYPE_ESCALATED &&
          event.level() == v1::ESCALATION_LEVEL_REFERRAL);
}

// The deadline a closed ticket is judged against: the issuer's due time for
// a task, the rectification deadline for a finding.
absl::Time FinalDeadline(const v1::Ticket& ticket) {
  const auto& deadline =
      ticket.kind() == v1::TICKET_KIND_TASK ? ticket.due_time() : ticket.rectification_due_time();
  return IsSet(deadline) ? FromTimestamp(deadline) : absl::InfiniteFuture();
}

// The unit that answers for referral `name` made in `change`: the unit it
// names. Empty (the indicator's units) if the change does not hold it.
std::string AnsweringUnit(const TicketChange& change, const std::string& name) {
  for (const v1::Referral& referral : change.referrals) {
    if (referral.name() == name) return referral.unit();
  }
  return "";
}

void Deduct(TicketChange& change, const v1::Indicator& indicator, const std::string& points,
            v1::LedgerSource source, const std::string& reason, const v1::TicketEvent& cause,
            const LoopContext& context, const std::string& answering_unit = "") {
  LedgerContext ledger{.caller = context.caller,
                       .now = context.now,
                       .zone = context.calendar->zone(),
                       .policy = context.ledger_policy,
                       .indicators = context.indicators,
                       .name = context.new_ledger_entry_name()};
  v1::LedgerEntry entry =
      RuleDeduction(indicator, Points::Parse(points, "").value_or(Points()),
                    CurrentPeriod(context.now, ledger.zone), source, reason, ledger, answering_unit);
  entry.set_source_ticket(change.ticket.name());
  entry.add_source_events(cause.name());
  change.ledger_entries.push_back(std::move(entry));
}

}  // namespace

void ApplyLedgerRules(TicketChange& change, const LoopContext& context) {
  const v1::LedgerPolicy* policy = context.ledger_policy;
  if (policy == nullptr || context.indicators == nullptr || change.ticket.indicator().empty()) {
    return;
  }
  std::optional<v1::Indicator> indicator =
      context.indicators->FindIndicator(change.ticket.indicator());
  if (!indicator) return;
  for (const v1::TicketEvent& event : change.events) {
    if (policy->deduct_on_referral() && IsReferral(event)) {
      const std::string answering = AnsweringUnit(change, event.referral());
      std::string reason =
          absl::StrCat("accountability referral ", event.referral(), " on ", change.ticket.name());
      if (!answering.empty() && answering != indicator->lead_unit()) {
        absl::StrAppend(&reason, ": ", answering, " answers for it, not the indicator's lead ",
                        indicator->lead_unit());
      }
      Deduct(change, *indicator, policy->referral_deduction(), v1::LEDGER_SOURCE_REFERRAL_RULE,
             reason, event, context, answering);
    }
    const bool closes =
        event.to_stage() == v1::STAGE_CLOSED && event.from_stage() != v1::STAGE_CLOSED;
    if (policy->deduct_on_late_close() && closes && context.now > FinalDeadline(change.ticket)) {
      Deduct(change, *indicator, policy->late_close_deduction(), v1::LEDGER_SOURCE_LATE_CLOSE_RULE,
             absl::StrCat(change.ticket.name(), " closed after its deadline"), event, context);
    }
  }
}

}  // namespace duban
