#include "domain/accountability_records.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/directory_rules.h"
#include "domain/resource_names.h"
#include "domain/ticket_loop.h"

namespace duban {
namespace {

constexpr size_t kRecentReferrals = 20;

// Fills the referral part of `record`.
void CountReferrals(v1::AccountabilityRecord& record, std::vector<v1::Referral> referrals) {
  std::sort(referrals.begin(), referrals.end(), [](const v1::Referral& a, const v1::Referral& b) {
    return FromTimestamp(a.create_time()) > FromTimestamp(b.create_time());
  });
  std::map<int, int> by_kind;
  for (const v1::Referral& referral : referrals) {
    record.set_referrals(record.referrals() + 1);
    if (referral.dispositions().empty()) {
      record.set_undecided_referrals(record.undecided_referrals() + 1);
    } else {
      ++by_kind[referral.dispositions().rbegin()->kind()];
    }
    if (static_cast<size_t>(record.recent_referrals_size()) < kRecentReferrals) {
      v1::Referral& recent = *record.add_recent_referrals();
      recent = referral;
      recent.clear_trail();
    }
  }
  for (const auto& [kind, count] : by_kind) {
    v1::DispositionCount& entry = *record.add_dispositions();
    entry.set_kind(static_cast<v1::DispositionKind>(kind));
    entry.set_count(count);
  }
}

bool IsSlip(v1::EscalationLevel level) { return level >= v1::ESCALATION_LEVEL_YELLOW; }

// Adds `subject` to `answerers` unless it is there or empty.
Answerer* AddAnswerer(std::vector<Answerer>& answerers, const std::string& subject) {
  if (subject.empty()) return nullptr;
  for (Answerer& answerer : answerers) {
    if (answerer.subject == subject) return &answerer;
  }
  Answerer& added = answerers.emplace_back();
  added.subject = subject;
  return &added;
}

}  // namespace

std::vector<std::string> ChargedSubjects(const v1::Ticket& ticket,
                                         const v1::EscalationRecord& escalation) {
  std::vector<std::string> subjects;
  if (!escalation.holder_unit().empty()) subjects.push_back(escalation.holder_unit());
  std::string principal = escalation.responsible_principal();
  if (!escalation.has_responsible_principal() && escalation.holder_unit() == ticket.lead_unit() &&
      escalation.stage() != v1::STAGE_DEPLOY) {
    principal = ticket.responsible_principal();
  }
  if (!principal.empty()) subjects.push_back(std::move(principal));
  return subjects;
}

std::vector<Answerer> AnswerersOf(const v1::Ticket& ticket) {
  std::vector<Answerer> answerers;
  AddAnswerer(answerers, ticket.lead_unit());
  if (!ticket.has_requires_inspection() || ticket.requires_inspection()) {
    AddAnswerer(answerers, ticket.inspection_unit());
  }
  AddAnswerer(answerers, ticket.responsible_principal());
  for (const v1::EscalationRecord& escalation : ticket.escalations()) {
    for (const std::string& subject : ChargedSubjects(ticket, escalation)) {
      Answerer* answerer = AddAnswerer(answerers, subject);
      v1::Slip& worst = answerer->worst_slip;
      if (!IsSlip(escalation.level()) || escalation.level() <= worst.level()) continue;
      worst.set_stage(escalation.stage());
      *worst.mutable_deadline() = escalation.deadline();
      worst.set_holder_unit(escalation.holder_unit());
      worst.set_level(escalation.level());
    }
  }
  return answerers;
}

RecordSources RecordSourcesOf(absl::string_view subject, const Period& period,
                              const std::vector<v1::Ticket>& tickets,
                              const std::vector<v1::Referral>& referrals) {
  RecordSources sources;
  for (const v1::Ticket& ticket : tickets) {
    for (const v1::EscalationRecord& escalation : ticket.escalations()) {
      const std::vector<std::string> charged = ChargedSubjects(ticket, escalation);
      if (period.Contains(FromTimestamp(escalation.fire_time())) &&
          std::find(charged.begin(), charged.end(), subject) != charged.end()) {
        sources.charges.push_back(escalation);
      }
    }
    if (ticket.stage() != v1::STAGE_CLOSED ||
        !period.Contains(FromTimestamp(ticket.stage_enter_time()))) {
      continue;
    }
    for (Answerer& answerer : AnswerersOf(ticket)) {
      if (answerer.subject == subject) sources.closed.push_back(std::move(answerer.worst_slip));
    }
  }
  for (const v1::Referral& referral : referrals) {
    if ((referral.unit() == subject || referral.responsible_principal() == subject) &&
        period.Contains(FromTimestamp(referral.create_time()))) {
      sources.referrals.push_back(referral);
    }
  }
  return sources;
}

v1::AccountabilityRecord BuildRecord(absl::string_view subject, absl::string_view period,
                                     const RecordSources& sources) {
  v1::AccountabilityRecord record;
  record.set_subject(std::string(subject));
  record.set_period(std::string(period));
  CountReferrals(record, sources.referrals);
  for (const v1::Slip& worst : sources.closed) {
    record.set_tickets_closed(record.tickets_closed() + 1);
    if (!IsSlip(worst.level())) record.set_tickets_closed_on_time(record.tickets_closed_on_time() + 1);
  }
  if (record.tickets_closed() > 0) {
    record.set_on_time_rate(static_cast<double>(record.tickets_closed_on_time()) /
                            record.tickets_closed());
  }
  std::map<int, int> by_level;
  for (const v1::EscalationRecord& charge : sources.charges) ++by_level[charge.level()];
  for (const auto& [level, count] : by_level) {
    v1::LevelCount& entry = *record.add_escalations();
    entry.set_level(static_cast<v1::EscalationLevel>(level));
    entry.set_count(count);
  }
  return record;
}

v1::TicketClocks TicketClocksOf(const v1::Ticket& ticket,
                                const std::vector<v1::TicketEvent>& events,
                                const WorkCalendar& calendar, absl::Time now) {
  v1::TicketClocks clocks;
  clocks.set_ticket(ticket.name());
  // The interval still open, if any: closed or cancelled tickets have none,
  // until a reopening starts one again.
  v1::HoldingInterval* open = nullptr;
  for (const v1::TicketEvent& event : events) {
    if (event.holder() == v1::HOLDER_UNSPECIFIED) continue;  // recorded before holders existed
    if (open != nullptr && open->holder() == event.holder() &&
        open->holder_unit() == event.holder_unit() && open->stage() == event.to_stage()) {
      continue;
    }
    if (open != nullptr) *open->mutable_end_time() = event.create_time();
    open = nullptr;
    if (event.holder() == v1::HOLDER_NONE) continue;
    v1::HoldingInterval& interval = *clocks.add_intervals();
    open = &interval;
    interval.set_holder(event.holder());
    interval.set_holder_unit(event.holder_unit());
    interval.set_stage(event.to_stage());
    *interval.mutable_start_time() = event.create_time();
  }
  std::map<std::string, double> totals;
  for (v1::HoldingInterval& interval : *clocks.mutable_intervals()) {
    const absl::Time end = IsSet(interval.end_time()) ? FromTimestamp(interval.end_time()) : now;
    interval.set_working_days(
        calendar.WorkingDaysBetween(FromTimestamp(interval.start_time()), end));
    totals[interval.holder_unit()] += interval.working_days();
  }
  for (const auto& [unit, days] : totals) {
    v1::HolderTotal& total = *clocks.add_totals();
    total.set_holder_unit(unit);
    total.set_working_days(days);
  }
  // One slip per missed deadline (stage cycle), at the highest level reached.
  std::map<std::pair<int64_t, std::string>, v1::Slip> slips;
  for (const v1::EscalationRecord& escalation : ticket.escalations()) {
    if (escalation.level() < v1::ESCALATION_LEVEL_YELLOW) continue;
    v1::Slip& slip = slips[{escalation.stage_cycle(), escalation.holder_unit()}];
    slip.set_stage(escalation.stage());
    *slip.mutable_deadline() = escalation.deadline();
    slip.set_holder_unit(escalation.holder_unit());
    slip.set_level(std::max(slip.level(), escalation.level()));
  }
  for (auto& [key, slip] : slips) *clocks.add_slips() = std::move(slip);
  return clocks;
}

absl::Status Validate(const v1::GetUnitRecordRequest& request, const UnitDirectory& units) {
  return ValidateKnownUnit("unit", request.unit(), units);
}

absl::Status Validate(const v1::GetPrincipalRecordRequest& request,
                      const std::function<bool(absl::string_view name)>& principal_exists) {
  RETURN_IF_ERROR(ValidatePrincipalName("principal", request.principal()));
  if (principal_exists(request.principal())) return absl::OkStatus();
  return ErrorWithReason(absl::StatusCode::kNotFound, "PRINCIPAL_NOT_FOUND",
                         absl::StrCat("no ", request.principal()));
}

}  // namespace duban
