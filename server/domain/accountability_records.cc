#include "server/domain/accountability_records.h"

#include <algorithm>
#include <map>

#include "server/domain/ticket_loop.h"
#include "server/domain/time_convert.h"

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

// Fills the ticket part: closed, closed on time, escalations by level, for
// slips charged to the unit `charged(ticket)` names.
template <typename ChargedUnit>
void CountTickets(v1::AccountabilityRecord& record, const std::vector<v1::Ticket>& tickets,
                  ChargedUnit charged) {
  std::map<int, int> by_level;
  for (const v1::Ticket& ticket : tickets) {
    const std::string unit = charged(ticket);
    bool overdue = false;
    for (const v1::EscalationRecord& escalation : ticket.escalations()) {
      if (escalation.holder_unit() != unit) continue;
      ++by_level[escalation.level()];
      overdue |= escalation.level() >= v1::ESCALATION_LEVEL_YELLOW;
    }
    if (ticket.stage() != v1::STAGE_CLOSED) continue;
    record.set_tickets_closed(record.tickets_closed() + 1);
    if (!overdue) record.set_tickets_closed_on_time(record.tickets_closed_on_time() + 1);
  }
  if (record.tickets_closed() > 0) {
    record.set_on_time_rate(static_cast<double>(record.tickets_closed_on_time()) /
                            record.tickets_closed());
  }
  for (const auto& [level, count] : by_level) {
    v1::LevelCount& entry = *record.add_escalations();
    entry.set_level(static_cast<v1::EscalationLevel>(level));
    entry.set_count(count);
  }
}

}  // namespace

v1::AccountabilityRecord UnitRecord(absl::string_view unit, const std::vector<v1::Ticket>& tickets,
                                    const std::vector<v1::Referral>& referrals) {
  v1::AccountabilityRecord record;
  record.set_subject(std::string(unit));
  CountReferrals(record, referrals);
  CountTickets(record, tickets, [&](const v1::Ticket&) { return std::string(unit); });
  return record;
}

v1::AccountabilityRecord PrincipalRecord(absl::string_view principal,
                                         const std::vector<v1::Ticket>& tickets,
                                         const std::vector<v1::Referral>& referrals) {
  v1::AccountabilityRecord record;
  record.set_subject(std::string(principal));
  CountReferrals(record, referrals);
  CountTickets(record, tickets, [](const v1::Ticket& ticket) { return ticket.lead_unit(); });
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

}  // namespace duban
