#include "tests/bench/load/ticket_lives.h"

#include <utility>

#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "tests/bench/load/ticket_requests.h"

namespace duban::load {
namespace {

// Adds `step` (a change of `life.ticket`) to `life`.
void Append(TicketChange& life, TicketChange step) {
  life.ticket = std::move(step.ticket);
  for (v1::TicketEvent& event : step.events) life.events.push_back(std::move(event));
  for (v1::Referral& referral : step.referrals) life.referrals.push_back(std::move(referral));
  for (v1::LedgerEntry& entry : step.ledger_entries) {
    life.ledger_entries.push_back(std::move(entry));
  }
}

template <typename Request>
Request Named(const v1::Ticket& ticket) {
  Request request;
  request.set_name(ticket.name());
  return request;
}

}  // namespace

LifePlan PlanLife(uint64_t n, int64_t total, int64_t this_year, absl::Time now,
                  absl::TimeZone zone) {
  const int64_t year = absl::ToCivilYear(now, zone).year();
  const absl::Time year_start = absl::FromCivil(absl::CivilYear(year), zone);
  const int64_t past = total - this_year;
  LifePlan plan;
  plan.indicator = n % 10 == 0;
  if (static_cast<int64_t>(n) < past) {
    const absl::Time first = absl::FromCivil(absl::CivilYear(year - 3), zone);
    plan.created = first + (year_start - first) * (static_cast<double>(n) / past);
    plan.closed = true;
  } else {
    const absl::Duration span = (now - absl::Hours(24)) - year_start;
    plan.created = year_start + span * (static_cast<double>(n - past) / this_year);
    // Closed only when there was time for it.
    plan.closed = n % 5 < 2 && plan.created + absl::Hours(24 * 90) < now;
  }
  plan.created = absl::FromUnixMicros(absl::ToUnixMicros(plan.created));
  // Late only when the whole ladder had time to play out before now.
  plan.late = n % 7 == 0 && plan.created + absl::Hours(24 * 90) < now;
  return plan;
}

absl::StatusOr<TicketChange> LiveTicket(uint64_t id, uint64_t n, const LifePlan& plan,
                                        const LifeActors& actors, const Backend& backend) {
  const auto at = [&](const Caller& caller, absl::Time time) {
    CallContext call = backend.ContextFor(caller);
    call.loop.now = time;
    return call;
  };
  v1::CreateTicketRequest request = CreateRequest(n, "");
  if (plan.indicator) request.mutable_ticket()->set_indicator("indicators/renju");
  const CallContext created = at(actors.leader, plan.created);
  RETURN_IF_ERROR(Validate(request, created.loop));
  ASSIGN_OR_RETURN(TicketChange life, NewTicket(id, request, nullptr, created.loop));
  const Caller staff = actors.staff_of(life.ticket.lead_unit());

  absl::Time time = plan.created + absl::Hours(2);
  ASSIGN_OR_RETURN(TicketChange signed_for,
                   Apply(life.ticket, Named<v1::SignTicketRequest>(life.ticket), at(staff, time).loop));
  Append(life, std::move(signed_for));
  if (plan.late) {
    time = FromTimestamp(life.ticket.stage_due_time()) + absl::Hours(24 * 14);
    ASSIGN_OR_RETURN(TicketChange escalated,
                     Escalate(life.ticket, time, at(actors.escalator, time).loop));
    Append(life, std::move(escalated));
  }
  if (!plan.closed) return life;
  time = plan.late ? time + absl::Hours(24) : plan.created + absl::Hours(24 * 10);
  auto submit = Named<v1::SubmitTicketRequest>(life.ticket);
  submit.set_comment("办结报告");
  ASSIGN_OR_RETURN(TicketChange submitted, Apply(life.ticket, submit, at(staff, time).loop));
  Append(life, std::move(submitted));
  time += absl::Hours(24);
  auto accept = Named<v1::ReviewTicketRequest>(life.ticket);
  accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
  ASSIGN_OR_RETURN(TicketChange accepted,
                   Apply(life.ticket, accept, at(actors.inspector, time).loop));
  Append(life, std::move(accepted));
  return life;
}

}  // namespace duban::load
