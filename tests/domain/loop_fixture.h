// LoopWorld: a small county for tests of the loop (ticket_loop.h): the fake
// directory, a weekend-only Asia/Shanghai calendar, the default escalation
// policy, one caller of each kind, and tickets walked into each stage
// through the real transitions.
//
//   LoopWorld world;
//   v1::Ticket ticket = world.TaskIn(v1::STAGE_INSPECT);
//   auto change = Apply(ticket, AcceptRequest(ticket), world.ContextFor(world.inspector));
//
// Unless a test says otherwise everything happens on Friday 2024-03-15 10:00
// local time, so a clock of N working days skips the weekend.
#ifndef DUBAN_TESTS_DOMAIN_LOOP_FIXTURE_H_
#define DUBAN_TESTS_DOMAIN_LOOP_FIXTURE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/time_convert.h"
#include "domain/calendar_data.h"
#include "domain/caller.h"
#include "domain/escalation_policy.h"
#include "domain/ledger.h"
#include "domain/loop_context.h"
#include "domain/ticket_loop.h"
#include "domain/work_calendar.h"
#include "gtest/gtest.h"
#include "tests/support/fake_directory.h"

namespace duban::testing {

inline absl::TimeZone Shanghai() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Asia/Shanghai", &zone)) ADD_FAILURE() << "no Asia/Shanghai zone";
  return zone;
}

// A moment in Asia/Shanghai local time.
inline absl::Time Local(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), Shanghai());
}

// The official 2023–2025 calendar shipped with the server, as version 1.
inline WorkCalendar ShippedCalendar() {
  absl::StatusOr<std::vector<v1::CalendarYear>> years = ParseCalendarFile(DefaultCalendarJson());
  if (!years.ok()) {
    ADD_FAILURE() << "the shipped calendar does not parse: " << years.status();
    return WorkCalendar(Shanghai(), 1);
  }
  return BuildCalendar(Shanghai(), *years, 1);
}

// Friday 2024-03-15 10:00 local: when the tickets of a LoopWorld are made.
inline absl::Time Friday() { return Local(2024, 3, 15, 10); }

inline Caller MakeCaller(const std::string& id, v1::Role role, const std::string& unit_id) {
  Caller caller;
  caller.principal = "principals/" + id;
  caller.unit = unit_id.empty() ? "" : "units/" + unit_id;
  caller.roles = {role};
  return caller;
}

inline absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return FromTimestamp(timestamp);
}

// Requests naming `ticket`, with the fields each step requires.
template <typename Request>
Request Named(const v1::Ticket& ticket) {
  Request request;
  request.set_name(ticket.name());
  return request;
}
inline v1::SignTicketRequest SignRequest(const v1::Ticket& t) {
  return Named<v1::SignTicketRequest>(t);
}
inline v1::DisputeTicketRequest DisputeRequest(const v1::Ticket& t) {
  auto request = Named<v1::DisputeTicketRequest>(t);
  request.set_reason("耕地保护归自然资源局");
  return request;
}
inline v1::ResolveTicketDisputeRequest ReassignRequest(const v1::Ticket& t,
                                                       const std::string& unit) {
  auto request = Named<v1::ResolveTicketDisputeRequest>(t);
  request.set_resolution(v1::DISPUTE_RESOLUTION_REASSIGN);
  request.set_new_lead_unit(unit);
  return request;
}
inline v1::ResolveTicketDisputeRequest OverruleRequest(const v1::Ticket& t) {
  auto request = Named<v1::ResolveTicketDisputeRequest>(t);
  request.set_resolution(v1::DISPUTE_RESOLUTION_OVERRULE);
  request.set_comment("牵头单位不变");
  return request;
}
inline v1::ReportTicketProgressRequest ProgressRequest(const v1::Ticket& t, int percent) {
  auto request = Named<v1::ReportTicketProgressRequest>(t);
  request.set_comment("进展顺利");
  request.set_progress_percent(percent);
  return request;
}
inline v1::SubmitTicketRequest SubmitRequest(const v1::Ticket& t) {
  auto request = Named<v1::SubmitTicketRequest>(t);
  request.set_comment("已办结");
  return request;
}
inline v1::FileRectificationPlanRequest PlanRequest(const v1::Ticket& t) {
  auto request = Named<v1::FileRectificationPlanRequest>(t);
  request.set_plan("整改方案");
  return request;
}
inline v1::ReviewTicketRequest AcceptRequest(const v1::Ticket& t) {
  auto request = Named<v1::ReviewTicketRequest>(t);
  request.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
  return request;
}
inline v1::ReviewTicketRequest RejectRequest(const v1::Ticket& t) {
  auto request = Named<v1::ReviewTicketRequest>(t);
  request.set_verdict(v1::REVIEW_VERDICT_REJECT);
  request.set_findings("台账不全");
  return request;
}
inline v1::CancelTicketRequest CancelRequest(const v1::Ticket& t) {
  auto request = Named<v1::CancelTicketRequest>(t);
  request.set_reason("任务已合并");
  return request;
}
inline v1::ReopenTicketRequest ReopenRequest(const v1::Ticket& t) {
  auto request = Named<v1::ReopenTicketRequest>(t);
  request.set_findings("回头看发现问题反弹");
  return request;
}

// 延期: asking for `proposed` as the new deadline, and deciding.
inline v1::RequestExtensionRequest ExtensionRequest(const v1::Ticket& t, absl::Time proposed) {
  auto request = Named<v1::RequestExtensionRequest>(t);
  request.set_reason("汛期影响施工");
  *request.mutable_proposed_due_time() = ToTimestamp(proposed);
  return request;
}
inline v1::DecideExtensionRequest GrantRequest(const v1::Ticket& t) {
  auto request = Named<v1::DecideExtensionRequest>(t);
  request.set_decision(v1::EXTENSION_DECISION_GRANT);
  return request;
}
inline v1::DecideExtensionRequest RefuseRequest(const v1::Ticket& t) {
  auto request = Named<v1::DecideExtensionRequest>(t);
  request.set_decision(v1::EXTENSION_DECISION_REFUSE);
  request.set_comment("理由不充分");
  return request;
}
// A pending request for `proposed`, as RequestExtension leaves it.
inline v1::ExtensionRequest PendingExtension(absl::Time proposed) {
  v1::ExtensionRequest pending;
  pending.set_requester("principals/nongye-staff");
  pending.set_reason("汛期影响施工");
  *pending.mutable_proposed_due_time() = ToTimestamp(proposed);
  return pending;
}

// The one event of a change that must have exactly one.
inline const v1::TicketEvent& OnlyEvent(const TicketChange& change) {
  static const v1::TicketEvent* const kNone = new v1::TicketEvent();
  if (change.events.size() != 1) {
    ADD_FAILURE() << "the change has " << change.events.size() << " events, not 1";
    return change.events.empty() ? *kNone : change.events.back();
  }
  return change.events.front();
}

// The ticket of a change that must succeed.
inline v1::Ticket Must(absl::StatusOr<TicketChange> change) {
  if (!change.ok()) {
    ADD_FAILURE() << change.status();
    return v1::Ticket();
  }
  return std::move(change->ticket);
}

class LoopWorld {
 public:
  LoopWorld()
      : calendar(Shanghai()),
        policy(DefaultEscalationPolicy()),
        ledger_policy(DefaultLedgerPolicy()) {}

  // Referrals made under these contexts are named referrals/1, referrals/2,
  // ... in the order they are made; ledger entries ledgerEntries/1, ...
  // likewise. The directory is also the indicator catalogue.
  LoopContext ContextFor(const Caller& caller, absl::Time now = Friday()) const {
    LoopContext context;
    context.caller = caller;
    context.now = now;
    context.calendar = &calendar;
    context.policy = &policy;
    context.units = &directory;
    context.new_referral_name = [count = referrals_made] {
      return "referrals/" + std::to_string(++*count);
    };
    context.indicators = &directory;
    context.ledger_policy = &ledger_policy;
    context.new_ledger_entry_name = [count = ledger_entries_made] {
      return "ledgerEntries/" + std::to_string(++*count);
    };
    return context;
  }

  // A TASK for units/nongye with units/ziran cooperating, due 2024-04-30 18:00.
  v1::CreateTicketRequest TaskRequest() const {
    v1::CreateTicketRequest request;
    v1::Ticket& ticket = *request.mutable_ticket();
    ticket.set_kind(v1::TICKET_KIND_TASK);
    ticket.set_title("开展撂荒地整治");
    ticket.set_lead_unit("units/nongye");
    ticket.add_cooperating_units("units/ziran");
    *ticket.mutable_due_time() = ToTimestamp(Local(2024, 4, 30, 18));
    return request;
  }

  // A FINDING for units/chengguan filed by the inspector.
  v1::CreateTicketRequest FindingRequest() const {
    v1::CreateTicketRequest request;
    v1::Ticket& ticket = *request.mutable_ticket();
    ticket.set_kind(v1::TICKET_KIND_FINDING);
    ticket.set_title("村道垃圾未清运");
    ticket.set_detail("东街村道两侧垃圾堆放");
    ticket.set_lead_unit("units/chengguan");
    ticket.set_location("units/chengguan-dongjie");
    ticket.set_severity(v1::SEVERITY_MAJOR);
    return request;
  }

  // tickets/7, made from `request` by the leader (TASK) or inspector (FINDING).
  v1::Ticket Create(const v1::CreateTicketRequest& request) const {
    const Caller& issuer = request.ticket().kind() == v1::TICKET_KIND_FINDING ? inspector : leader;
    return Must(NewTicket(7, request, nullptr, ContextFor(issuer)));
  }

  // The task of TaskRequest() walked through the real transitions into
  // `stage`.
  v1::Ticket TaskIn(v1::Stage stage) const { return Walk(Create(TaskRequest()), stage); }

  v1::Ticket Walk(v1::Ticket ticket, v1::Stage stage) const {
    if (stage == v1::STAGE_DEPLOY) return ticket;
    if (stage == v1::STAGE_CANCELLED) {
      return Must(Apply(ticket, CancelRequest(ticket), ContextFor(leader)));
    }
    ticket = Must(Apply(ticket, SignRequest(ticket), ContextFor(lead_staff)));
    if (stage == v1::STAGE_IMPLEMENT) return ticket;
    ticket = Must(Apply(ticket, SubmitRequest(ticket), ContextFor(lead_staff)));
    if (stage == v1::STAGE_INSPECT) return ticket;
    if (stage == v1::STAGE_CLOSED) {
      return Must(Apply(ticket, AcceptRequest(ticket), ContextFor(inspector)));
    }
    ticket = Must(Apply(ticket, RejectRequest(ticket), ContextFor(inspector)));
    if (stage == v1::STAGE_FEEDBACK) return ticket;
    ticket = Must(Apply(ticket, PlanRequest(ticket), ContextFor(lead_staff)));
    if (stage == v1::STAGE_IMPROVE) return ticket;
    ADD_FAILURE() << "cannot walk into stage " << stage;
    return ticket;
  }

  testing::FakeDirectory directory;
  WorkCalendar calendar;  // weekends only
  v1::EscalationPolicy policy;
  // DefaultLedgerPolicy() until a test changes it: the referral rule on,
  // the late-close rule off.
  v1::LedgerPolicy ledger_policy;
  std::shared_ptr<int> referrals_made = std::make_shared<int>(0);
  std::shared_ptr<int> ledger_entries_made = std::make_shared<int>(0);

  Caller leader = MakeCaller("li", v1::ROLE_LEADER, "county");  // issues tasks
  Caller other_leader = MakeCaller("wang", v1::ROLE_LEADER, "county");
  Caller inspector = MakeCaller("zhao", v1::ROLE_INSPECTOR, "ducha");  // files findings
  Caller other_inspector = MakeCaller("qian", v1::ROLE_INSPECTOR, "ducha");
  Caller lead_staff = MakeCaller("nongye-staff", v1::ROLE_UNIT_STAFF, "nongye");
  Caller coop_staff = MakeCaller("ziran-staff", v1::ROLE_UNIT_STAFF, "ziran");
  Caller other_staff = MakeCaller("chengguan-staff", v1::ROLE_UNIT_STAFF, "chengguan");
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_DOMAIN_LOOP_FIXTURE_H_
