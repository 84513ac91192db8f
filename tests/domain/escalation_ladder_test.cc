// The escalation ladder (催办 → 督办 → 问责) under the default policy on the
// shipped calendar: when each step fires, that each fires exactly once per
// stage cycle, what a firing records, and whose clock it is charged to.
#include "domain/escalation_ladder.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "domain/escalation_policy.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::duban::testing::Must;
using ::duban::testing::ShippedCalendar;
using ::duban::testing::TimeOf;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr v1::EscalationLevel kReminder = v1::ESCALATION_LEVEL_REMINDER;
constexpr v1::EscalationLevel kYellow = v1::ESCALATION_LEVEL_YELLOW;
constexpr v1::EscalationLevel kRed = v1::ESCALATION_LEVEL_RED;
constexpr v1::EscalationLevel kReferral = v1::ESCALATION_LEVEL_REFERRAL;

std::vector<v1::EscalationLevel> Levels(const std::vector<ScheduledStep>& schedule) {
  std::vector<v1::EscalationLevel> levels;
  for (const ScheduledStep& scheduled : schedule) levels.push_back(scheduled.step.level());
  return levels;
}

std::vector<absl::Time> FireTimes(const std::vector<ScheduledStep>& schedule) {
  std::vector<absl::Time> times;
  for (const ScheduledStep& scheduled : schedule) times.push_back(scheduled.fire_time);
  return times;
}

class EscalationTest : public ::testing::Test {
 protected:
  EscalationTest() { world_.calendar = ShippedCalendar(); }

  // The task of TaskRequest() due at `due`, deployed an hour before
  // `signed_at` and signed for by the lead unit then.
  v1::Ticket SignedTask(absl::Time due, absl::Time signed_at) const {
    v1::CreateTicketRequest request = world_.TaskRequest();
    *request.mutable_ticket()->mutable_due_time() = ToTimestamp(due);
    v1::Ticket ticket = Must(NewTicket(
        7, request, nullptr, world_.ContextFor(world_.leader, signed_at - absl::Hours(1))));
    return Must(Apply(ticket, testing::SignRequest(ticket),
                      world_.ContextFor(world_.lead_staff, signed_at)));
  }

  // Due at 24:00 of Friday 2024-09-27, before National Day; signed for on
  // 2024-09-02.
  v1::Ticket DueBeforeNationalDay() const {
    return SignedTask(Local(2024, 9, 28), Local(2024, 9, 2, 10));
  }

  absl::StatusOr<TicketChange> EscalateAt(const v1::Ticket& ticket, absl::Time as_of) const {
    return Escalate(ticket, as_of, world_.ContextFor(escalator_, as_of));
  }

  LoopWorld world_;
  Caller escalator_ = MakeCaller("cron", v1::ROLE_ESCALATOR, "");
};

// The fire times of DueBeforeNationalDay(): the end of Thursday 09-26, the
// deadline, the end of the 3rd working day after 09-27 (09-29 make-up
// Sunday, 09-30, 10-08) and of the 5th (10-09, 10-10).
const absl::Time kReminderAt = Local(2024, 9, 27);
const absl::Time kYellowAt = Local(2024, 9, 28);
const absl::Time kRedAt = Local(2024, 10, 9);
const absl::Time kReferralAt = Local(2024, 10, 11);

TEST_F(EscalationTest, TheDefaultLadderOfASignedTaskOnTheShippedCalendar) {
  static const struct {
    const char* label;
    absl::Time due;
    absl::Time signed_at;
    std::vector<absl::Time> fire_times;  // REMINDER, YELLOW, RED, REFERRAL
  } kCases[] = {
      {"due Fri 2024-09-27, before National Day",
       Local(2024, 9, 28),
       Local(2024, 9, 2, 10),
       {kReminderAt, kYellowAt, kRedAt, kReferralAt}},
      {"due Tue 2024-10-08, just after National Day",
       Local(2024, 10, 9),
       Local(2024, 9, 20, 10),
       // reminder: the end of 09-30; RED: 10-09, 10-10, 10-11; REFERRAL:
       // 10-12 (make-up Saturday), 10-14.
       {Local(2024, 10, 1), Local(2024, 10, 9), Local(2024, 10, 12), Local(2024, 10, 15)}},
      {"due Mon 2025-01-27, before the Spring Festival",
       Local(2025, 1, 28),
       Local(2025, 1, 6, 10),
       // reminder: the end of make-up Sunday 01-26; RED: 02-05, 02-06,
       // 02-07; REFERRAL: 02-08 (make-up Saturday), 02-10.
       {Local(2025, 1, 27), Local(2025, 1, 28), Local(2025, 2, 8), Local(2025, 2, 11)}},
      {"due Tue 2024-12-31, over New Year's Day",
       Local(2025, 1, 1),
       Local(2024, 12, 2, 10),
       {Local(2024, 12, 31), Local(2025, 1, 1), Local(2025, 1, 7), Local(2025, 1, 9)}},
      {"due 18:00 Tue 2024-04-30, before 劳动节",
       Local(2024, 4, 30, 18),
       Local(2024, 4, 1, 10),
       // RED: 05-06, 05-07, 05-08; REFERRAL: 05-09, 05-10.
       {Local(2024, 4, 30), Local(2024, 4, 30, 18), Local(2024, 5, 9), Local(2024, 5, 11)}},
      {"due Wed 2026-12-30, counting into 2027",
       Local(2026, 12, 31),
       Local(2026, 12, 1, 10),
       {Local(2026, 12, 30), Local(2026, 12, 31), Local(2027, 1, 5), Local(2027, 1, 7)}},
      {"due Wed 2025-12-31, over New Year 2026 to the make-up Sunday",
       Local(2026, 1, 1),
       Local(2025, 12, 1, 10),
       // RED: 2026-01-04 (Sunday, worked), 01-05, 01-06; REFERRAL: 01-07, 01-08.
       {Local(2025, 12, 31), Local(2026, 1, 1), Local(2026, 1, 7), Local(2026, 1, 9)}},
  };
  for (const auto& c : kCases) {
    const v1::Ticket ticket = SignedTask(c.due, c.signed_at);
    ASSERT_EQ(ticket.stage(), v1::STAGE_IMPLEMENT) << c.label;
    ASSERT_EQ(TimeOf(ticket.stage_due_time()), c.due) << c.label;
    const std::vector<ScheduledStep> schedule =
        ScheduleLadder(ticket, world_.policy, world_.calendar);
    EXPECT_THAT(Levels(schedule), ElementsAre(kReminder, kYellow, kRed, kReferral)) << c.label;
    EXPECT_THAT(FireTimes(schedule), ElementsAreArray(c.fire_times)) << c.label;
    for (size_t i = 0; i < schedule.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(schedule[i].step, world_.policy.ladder(i))) << c.label;
    }
    EXPECT_EQ(NextEscalationTime(ticket, world_.policy, world_.calendar), c.fire_times.front())
        << c.label;
    EXPECT_EQ(TimeOf(ticket.next_escalation_time()), c.fire_times.front()) << c.label;
  }
}

TEST_F(EscalationTest, AReminderDueBeforeTheClockStartedIsLeftOut) {
  static const struct {
    const char* label;
    absl::Time signed_at;
    bool reminded;
  } kCases[] = {
      {"signed the evening before", Local(2024, 9, 26, 23, 59), true},
      {"signed exactly when the reminder was due", kReminderAt, false},
      {"signed on the last day", Local(2024, 9, 27, 9), false},
  };
  for (const auto& c : kCases) {
    const v1::Ticket ticket = SignedTask(Local(2024, 9, 28), c.signed_at);
    const std::vector<ScheduledStep> schedule =
        ScheduleLadder(ticket, world_.policy, world_.calendar);
    if (c.reminded) {
      EXPECT_THAT(Levels(schedule), ElementsAre(kReminder, kYellow, kRed, kReferral)) << c.label;
    } else {
      EXPECT_THAT(Levels(schedule), ElementsAre(kYellow, kRed, kReferral)) << c.label;
      EXPECT_EQ(NextEscalationTime(ticket, world_.policy, world_.calendar), kYellowAt) << c.label;
    }
  }
}

TEST_F(EscalationTest, NoClockNoLadder) {
  v1::Ticket ticket = DueBeforeNationalDay();
  ticket = Must(Apply(ticket, testing::SubmitRequest(ticket),
                      world_.ContextFor(world_.lead_staff, Local(2024, 9, 10, 10))));
  const v1::Ticket closed =
      Must(Apply(ticket, testing::AcceptRequest(ticket),
                 world_.ContextFor(world_.inspector, Local(2024, 9, 11, 10))));
  ASSERT_EQ(closed.stage(), v1::STAGE_CLOSED);
  EXPECT_THAT(ScheduleLadder(closed, world_.policy, world_.calendar), IsEmpty());
  EXPECT_EQ(NextEscalationTime(closed, world_.policy, world_.calendar), absl::InfiniteFuture());
  EXPECT_FALSE(closed.has_next_escalation_time());
  absl::StatusOr<TicketChange> change = EscalateAt(closed, Local(2030, 1, 1));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_THAT(change->events, IsEmpty());
}

// Sweeps at each fire time, and again at the same time: every level fires
// once, in order, and a repeated sweep finds nothing.
TEST_F(EscalationTest, EachLevelFiresExactlyOnce) {
  static const struct {
    absl::Time as_of;
    v1::EscalationLevel level;
    v1::Card card;
    std::vector<std::string> recipients;
    absl::Time next;  // InfiniteFuture: none
  } kSweeps[] = {
      {kReminderAt, kReminder, v1::CARD_REMINDER, {"units/nongye"}, kYellowAt},
      {kYellowAt, kYellow, v1::CARD_YELLOW, {"units/nongye"}, kRedAt},
      {kRedAt, kRed, v1::CARD_RED, {"units/nongye", "units/county"}, kReferralAt},
      {kReferralAt,
       kReferral,
       v1::CARD_REFERRED,
       {"units/jiwei", "units/zuzhi"},
       absl::InfiniteFuture()},
  };
  v1::Ticket ticket = DueBeforeNationalDay();
  const int64_t cycle = ticket.stage_cycle();
  std::vector<v1::EscalationLevel> fired;
  for (size_t i = 0; i < std::size(kSweeps); ++i) {
    const auto& sweep = kSweeps[i];
    const std::string where = absl::StrCat("sweep ", i + 1);

    absl::StatusOr<TicketChange> early = EscalateAt(ticket, sweep.as_of - absl::Seconds(1));
    ASSERT_TRUE(early.ok()) << where << ": " << early.status();
    EXPECT_THAT(early->events, IsEmpty()) << where << ": fired a second early";

    absl::StatusOr<TicketChange> change = EscalateAt(ticket, sweep.as_of);
    ASSERT_TRUE(change.ok()) << where << ": " << change.status();
    ASSERT_EQ(change->events.size(), 1u) << where;
    const v1::TicketEvent& event = change->events[0];
    const v1::Ticket& next = change->ticket;
    EXPECT_EQ(event.type(), v1::EVENT_TYPE_ESCALATED) << where;
    EXPECT_EQ(event.sequence(), Revision(ticket) + 1) << where;
    EXPECT_EQ(next.etag(), absl::StrCat(event.sequence())) << where;
    EXPECT_EQ(event.etag(), next.etag()) << where;
    EXPECT_EQ(event.level(), sweep.level) << where;
    EXPECT_EQ(event.card(), sweep.card) << where;
    EXPECT_EQ(TimeOf(event.deadline()), kYellowAt) << where;
    EXPECT_THAT(event.targets(), ElementsAreArray(world_.policy.ladder(i).targets())) << where;
    EXPECT_THAT(event.recipients(), ElementsAreArray(sweep.recipients)) << where;
    EXPECT_EQ(event.actor(), "principals/cron") << where;
    EXPECT_EQ(event.from_stage(), v1::STAGE_IMPLEMENT) << where;
    EXPECT_EQ(event.to_stage(), v1::STAGE_IMPLEMENT) << where;
    EXPECT_EQ(event.holder(), v1::HOLDER_LEAD_UNIT) << where;
    EXPECT_EQ(event.holder_unit(), "units/nongye") << where;
    EXPECT_EQ(TimeOf(event.create_time()), sweep.as_of) << where;

    fired.push_back(sweep.level);
    EXPECT_THAT(next.fired_levels(), ElementsAreArray(fired)) << where;
    EXPECT_EQ(next.card(), sweep.card) << where;
    EXPECT_EQ(next.stage(), v1::STAGE_IMPLEMENT) << where;
    EXPECT_EQ(next.stage_cycle(), cycle) << where << ": escalating does not restart the clock";
    EXPECT_EQ(TimeOf(next.stage_due_time()), kYellowAt) << where;
    if (sweep.next == absl::InfiniteFuture()) {
      EXPECT_FALSE(next.has_next_escalation_time()) << where;
    } else {
      EXPECT_EQ(TimeOf(next.next_escalation_time()), sweep.next) << where;
    }
    ASSERT_EQ(next.escalations_size(), static_cast<int>(i + 1)) << where;

    absl::StatusOr<TicketChange> again = EscalateAt(next, sweep.as_of);
    ASSERT_TRUE(again.ok()) << where << ": " << again.status();
    EXPECT_THAT(again->events, IsEmpty()) << where << ": fired twice";
    EXPECT_THAT(again->referrals, IsEmpty()) << where;
    EXPECT_TRUE(MessageDifferencer::Equals(again->ticket, next))
        << where << ": a sweep with nothing due changed the ticket";
    ticket = next;
  }
  absl::StatusOr<TicketChange> later = EscalateAt(ticket, Local(2025, 6, 1));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_THAT(later->events, IsEmpty()) << "the ladder has no more steps";
}

TEST_F(EscalationTest, ASweepLongAfterFiresEveryOverdueLevelInOrder) {
  const v1::Ticket ticket = DueBeforeNationalDay();
  const absl::Time as_of = Local(2024, 12, 2, 3);
  absl::StatusOr<TicketChange> change = EscalateAt(ticket, as_of);
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 4u);
  const v1::Ticket& next = change->ticket;

  const v1::EscalationLevel kLevels[] = {kReminder, kYellow, kRed, kReferral};
  const v1::Card kCards[] = {v1::CARD_REMINDER, v1::CARD_YELLOW, v1::CARD_RED, v1::CARD_REFERRED};
  const absl::Time kFireTimes[] = {kReminderAt, kYellowAt, kRedAt, kReferralAt};
  for (int i = 0; i < 4; ++i) {
    const v1::TicketEvent& event = change->events[i];
    EXPECT_EQ(event.type(), v1::EVENT_TYPE_ESCALATED) << i;
    EXPECT_EQ(event.sequence(), Revision(ticket) + 1 + i) << i;
    EXPECT_EQ(event.name(), absl::StrCat("tickets/7/events/", event.sequence())) << i;
    EXPECT_EQ(event.level(), kLevels[i]) << i;
    EXPECT_EQ(event.card(), kCards[i]) << i << ": the card after this level";
    EXPECT_EQ(event.referral().empty(), kLevels[i] != kReferral) << i;

    const v1::EscalationRecord& record = next.escalations(i);
    EXPECT_EQ(record.level(), kLevels[i]) << i;
    EXPECT_EQ(record.stage(), v1::STAGE_IMPLEMENT) << i;
    EXPECT_EQ(record.holder_unit(), "units/nongye") << i;
    EXPECT_EQ(record.stage_cycle(), ticket.stage_cycle()) << i;
    EXPECT_EQ(TimeOf(record.deadline()), kYellowAt) << i;
    EXPECT_EQ(TimeOf(record.fire_time()), kFireTimes[i]) << i << ": when it was due, not the sweep";
  }
  EXPECT_EQ(next.card(), v1::CARD_REFERRED);
  EXPECT_THAT(next.fired_levels(), ElementsAreArray(kLevels));
  EXPECT_EQ(next.etag(), absl::StrCat(change->events.back().sequence()));
  EXPECT_FALSE(next.has_next_escalation_time());

  // REFERRAL made one referral, charged to the unit whose clock ran out and
  // the principal who signed for the ticket.
  ASSERT_EQ(change->referrals.size(), 1u);
  const v1::Referral& referral = change->referrals[0];
  EXPECT_EQ(referral.name(), "referrals/1");
  EXPECT_EQ(referral.ticket(), "tickets/7");
  EXPECT_EQ(referral.ticket_title(), "开展撂荒地整治");
  EXPECT_EQ(referral.unit(), "units/nongye");
  EXPECT_EQ(referral.responsible_principal(), "principals/nongye-staff");
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_LADDER);
  EXPECT_EQ(referral.stage(), v1::STAGE_IMPLEMENT);
  EXPECT_EQ(TimeOf(referral.deadline()), kYellowAt);
  EXPECT_EQ(referral.trail_until_sequence(), change->events[3].sequence());
  EXPECT_EQ(TimeOf(referral.create_time()), as_of);
  EXPECT_EQ(referral.etag(), "1");
  EXPECT_THAT(referral.dispositions(), IsEmpty());
  EXPECT_EQ(change->events[3].referral(), "referrals/1");
  EXPECT_THAT(next.referrals(), ElementsAre("referrals/1"));

  absl::StatusOr<TicketChange> again = EscalateAt(next, as_of);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(again->events, IsEmpty());
  EXPECT_THAT(again->referrals, IsEmpty()) << "a second referral for the same slip";
}

TEST_F(EscalationTest, OnlyTheLevelsDueFire) {
  absl::StatusOr<TicketChange> change =
      EscalateAt(DueBeforeNationalDay(), kRedAt - absl::Minutes(1));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 2u);
  EXPECT_EQ(change->events[0].level(), kReminder);
  EXPECT_EQ(change->events[1].level(), kYellow);
  EXPECT_EQ(change->ticket.card(), v1::CARD_YELLOW);
  EXPECT_EQ(TimeOf(change->ticket.next_escalation_time()), kRedAt);
  EXPECT_THAT(change->referrals, IsEmpty());
}

// Submitting starts the inspection clock: a new cycle with a fresh card and
// ladder, and the inspection unit's clock. What slips now is charged to it,
// not to the department that submitted on time.
TEST_F(EscalationTest, ANewStageCycleRestartsTheLadderOnTheNewHoldersClock) {
  v1::Ticket ticket = Must(EscalateAt(DueBeforeNationalDay(), kYellowAt));
  ASSERT_EQ(ticket.card(), v1::CARD_YELLOW);
  ASSERT_EQ(ticket.escalations_size(), 2);

  const absl::Time submitted_at = Local(2024, 9, 28, 10);  // Saturday
  ticket = Must(Apply(ticket, testing::SubmitRequest(ticket),
                      world_.ContextFor(world_.lead_staff, submitted_at)));
  ASSERT_EQ(ticket.stage(), v1::STAGE_INSPECT);
  EXPECT_EQ(ticket.card(), v1::CARD_NONE);
  EXPECT_THAT(ticket.fired_levels(), IsEmpty());
  EXPECT_EQ(ticket.escalations_size(), 2) << "the history of the last cycle stays";
  EXPECT_EQ(ticket.holder(), v1::HOLDER_INSPECTION);
  EXPECT_EQ(ticket.holder_unit(), "units/ducha");
  EXPECT_EQ(TimeOf(ticket.clock_start_time()), submitted_at);
  // 3 working days from Saturday 09-28: 09-29 (make-up), 09-30, 10-08.
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 10, 9));
  EXPECT_EQ(TimeOf(ticket.next_escalation_time()), Local(2024, 10, 1)) << "the end of 09-30";

  absl::StatusOr<TicketChange> change = EscalateAt(ticket, Local(2024, 12, 2));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 4u) << "every level fires again in the new cycle";
  EXPECT_THAT(change->events[0].recipients(), ElementsAre("units/ducha"));
  for (const v1::TicketEvent& event : change->events) {
    EXPECT_EQ(event.holder(), v1::HOLDER_INSPECTION);
    EXPECT_EQ(event.holder_unit(), "units/ducha");
  }
  const v1::Ticket& next = change->ticket;
  ASSERT_EQ(next.escalations_size(), 6);
  ASSERT_FALSE(ticket.responsible_principal().empty());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(next.escalations(i).holder_unit(), "units/nongye") << i;
    EXPECT_EQ(next.escalations(i).stage(), v1::STAGE_IMPLEMENT) << i;
    EXPECT_EQ(next.escalations(i).responsible_principal(), ticket.responsible_principal())
        << "a slip on the lead unit's clock is also the signer's";
  }
  for (int i = 2; i < 6; ++i) {
    EXPECT_EQ(next.escalations(i).holder_unit(), "units/ducha") << i;
    EXPECT_EQ(next.escalations(i).responsible_principal(), "") << i;
    EXPECT_EQ(next.escalations(i).stage(), v1::STAGE_INSPECT) << i;
    EXPECT_EQ(next.escalations(i).stage_cycle(), ticket.stage_cycle()) << i;
    EXPECT_EQ(TimeOf(next.escalations(i).deadline()), Local(2024, 10, 9)) << i;
  }
  ASSERT_EQ(change->referrals.size(), 1u);
  EXPECT_EQ(change->referrals[0].unit(), "units/ducha") << "a late review is the inspectors' slip";
  EXPECT_EQ(change->referrals[0].responsible_principal(), "")
      << "the signer answers only for the lead unit's clock";
  EXPECT_EQ(change->referrals[0].stage(), v1::STAGE_INSPECT);
}

// While a dispute waits, the issuer holds the ticket: the sign-for clock
// that runs out is the issuer's unit's.
TEST_F(EscalationTest, AWaitingDisputeIsChargedToTheIssuersUnit) {
  world_.calendar = WorkCalendar(testing::Shanghai());
  v1::Ticket ticket = world_.TaskIn(v1::STAGE_DEPLOY);
  ticket =
      Must(Apply(ticket, testing::DisputeRequest(ticket), world_.ContextFor(world_.lead_staff)));
  ASSERT_EQ(ticket.holder(), v1::HOLDER_ISSUER);
  ASSERT_EQ(ticket.holder_unit(), "units/county");
  absl::StatusOr<TicketChange> change = EscalateAt(ticket, Local(2024, 4, 15));
  ASSERT_TRUE(change.ok()) << change.status();
  // Disputed on Friday 10:00 with one working day (Monday) to answer: the
  // reminder at the end of Friday comes after the clock started.
  ASSERT_EQ(change->events.size(), 4u);
  for (const v1::EscalationRecord& record : change->ticket.escalations()) {
    EXPECT_EQ(record.holder_unit(), "units/county") << record.level();
  }
  ASSERT_EQ(change->referrals.size(), 1u);
  EXPECT_EQ(change->referrals[0].unit(), "units/county");
}

TEST_F(EscalationTest, RecipientsOfEveryTargetKind) {
  world_.directory.Add("jiwei-paizhu", v1::UNIT_KIND_DISCIPLINE);
  v1::Ticket ticket;
  ticket.set_issuer("principals/li");
  ticket.set_lead_unit("units/nongye");
  ticket.set_holder(v1::HOLDER_INSPECTION);
  ticket.set_holder_unit("units/ducha");
  using T = v1::EscalationTarget;
  static const struct {
    const char* label;
    std::vector<T> targets;
    std::vector<std::string> recipients;
  } kCases[] = {
      {"acting unit", {v1::ESCALATION_TARGET_ACTING_UNIT}, {"units/ducha"}},
      {"unit head", {v1::ESCALATION_TARGET_UNIT_HEAD}, {"units/ducha"}},
      {"supervising leader", {v1::ESCALATION_TARGET_SUPERVISING_LEADER}, {"units/county"}},
      {"discipline: every such unit, by name",
       {v1::ESCALATION_TARGET_DISCIPLINE},
       {"units/jiwei", "units/jiwei-paizhu"}},
      {"organization", {v1::ESCALATION_TARGET_ORGANIZATION}, {"units/zuzhi"}},
      {"issuer", {v1::ESCALATION_TARGET_ISSUER}, {"principals/li"}},
      {"unspecified resolves to nobody", {v1::ESCALATION_TARGET_UNSPECIFIED}, {}},
      {"in target order, without repeats",
       {v1::ESCALATION_TARGET_ISSUER, v1::ESCALATION_TARGET_ACTING_UNIT,
        v1::ESCALATION_TARGET_UNIT_HEAD, v1::ESCALATION_TARGET_ORGANIZATION,
        v1::ESCALATION_TARGET_ISSUER},
       {"principals/li", "units/ducha", "units/zuzhi"}},
  };
  for (const auto& c : kCases) {
    google::protobuf::RepeatedField<int> targets;
    for (T target : c.targets) targets.Add(target);
    EXPECT_THAT(Recipients(ticket, targets, world_.directory), ElementsAreArray(c.recipients))
        << c.label;
  }
  // Nobody holds a closed ticket: the acting unit resolves to no one.
  ticket.set_holder(v1::HOLDER_NONE);
  ticket.clear_holder_unit();
  google::protobuf::RepeatedField<int> acting;
  acting.Add(v1::ESCALATION_TARGET_ACTING_UNIT);
  EXPECT_THAT(Recipients(ticket, acting, world_.directory), IsEmpty());
}

// After a policy change the stored next_escalation_time is stale:
// Reschedule (and a sweep with nothing due) brings it up to date without
// an event.
TEST_F(EscalationTest, RescheduleFollowsAPolicyChange) {
  const v1::Ticket ticket = DueBeforeNationalDay();
  ASSERT_EQ(TimeOf(ticket.next_escalation_time()), kReminderAt);
  world_.policy.mutable_ladder()->DeleteSubrange(0, 1);  // no more reminders

  const TicketChange rescheduled =
      Reschedule(ticket, world_.ContextFor(escalator_, Local(2024, 9, 3)));
  EXPECT_THAT(rescheduled.events, IsEmpty());
  EXPECT_EQ(TimeOf(rescheduled.ticket.next_escalation_time()), kYellowAt);
  EXPECT_EQ(rescheduled.ticket.etag(), ticket.etag());
  EXPECT_EQ(NextEscalationTime(ticket, world_.policy, world_.calendar), kYellowAt);

  absl::StatusOr<TicketChange> swept = EscalateAt(ticket, Local(2024, 9, 27, 12));
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_THAT(swept->events, IsEmpty()) << "the reminder is no longer in the policy";
  EXPECT_EQ(TimeOf(swept->ticket.next_escalation_time()), kYellowAt);

  world_.policy.clear_ladder();
  const TicketChange none = Reschedule(ticket, world_.ContextFor(escalator_, Local(2024, 9, 3)));
  EXPECT_FALSE(none.ticket.has_next_escalation_time());
}

TEST_F(EscalationTest, ASeverityLadderReplacesTheDefaultForItsSeverity) {
  v1::SeverityLadder& major = *world_.policy.add_severity_ladders();
  major.set_severity(v1::SEVERITY_MAJOR);
  v1::LadderStep& yellow = *major.add_steps();
  yellow.set_level(kYellow);
  yellow.add_targets(v1::ESCALATION_TARGET_ACTING_UNIT);
  v1::LadderStep& referral = *major.add_steps();
  referral.set_level(kReferral);
  referral.set_offset_working_days(1);
  referral.add_targets(v1::ESCALATION_TARGET_DISCIPLINE);
  ASSERT_TRUE(ValidateEscalationPolicy(world_.policy).ok())
      << ValidateEscalationPolicy(world_.policy);

  EXPECT_EQ(LadderFor(world_.policy, v1::SEVERITY_MAJOR).size(), 2);
  EXPECT_EQ(LadderFor(world_.policy, v1::SEVERITY_NORMAL).size(), 4);
  EXPECT_EQ(LadderFor(world_.policy, v1::SEVERITY_HARD_FLAW).size(), 4);

  // A MAJOR finding filed on Monday 2024-09-23: the plan is due at the end
  // of Wednesday 09-25.
  const absl::Time filed_at = Local(2024, 9, 23, 10);
  const v1::Ticket finding = Must(NewTicket(8, world_.FindingRequest(), nullptr,
                                            world_.ContextFor(world_.inspector, filed_at)));
  ASSERT_EQ(TimeOf(finding.stage_due_time()), Local(2024, 9, 26));
  const std::vector<ScheduledStep> schedule =
      ScheduleLadder(finding, world_.policy, world_.calendar);
  EXPECT_THAT(Levels(schedule), ElementsAre(kYellow, kReferral));
  EXPECT_THAT(FireTimes(schedule), ElementsAre(Local(2024, 9, 26), Local(2024, 9, 27)));

  absl::StatusOr<TicketChange> change = EscalateAt(finding, Local(2024, 10, 30));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 2u);
  EXPECT_EQ(change->events[0].level(), kYellow);
  EXPECT_EQ(change->events[1].level(), kReferral);
  EXPECT_THAT(change->events[1].recipients(), ElementsAre("units/jiwei"));
  ASSERT_EQ(change->referrals.size(), 1u);
  EXPECT_EQ(change->referrals[0].unit(), "units/chengguan");

  v1::CreateTicketRequest normal = world_.FindingRequest();
  normal.mutable_ticket()->set_severity(v1::SEVERITY_NORMAL);
  const v1::Ticket normal_finding =
      Must(NewTicket(9, normal, nullptr, world_.ContextFor(world_.inspector, filed_at)));
  EXPECT_THAT(Levels(ScheduleLadder(normal_finding, world_.policy, world_.calendar)),
              ElementsAre(kReminder, kYellow, kRed, kReferral));
}

TEST(SweepRequestTest, ValidateNamesTheBadField) {
  const absl::Time now = Local(2024, 9, 30, 9);
  const struct {
    const char* label;
    absl::Time as_of;  // InfinitePast: unset
    bool dry_run;
    int limit;
    std::string field;  // empty: OK
    std::string message;
  } kCases[] = {
      {"now", absl::InfinitePast(), false, 0, "", ""},
      {"an hour ago", now - absl::Hours(1), false, 50, "", ""},
      {"exactly now", now, false, 0, "", ""},
      {"a dry run a week ahead", now + absl::Hours(24 * 7), true, 0, "", ""},
      {"a real sweep a second ahead", now + absl::Seconds(1), false, 0, "as_of_time",
       "as_of_time: is in the future; only a dry run may look ahead"},
      {"before 1970", absl::FromUnixSeconds(-1), true, 0, "as_of_time", ""},
      {"a negative limit", absl::InfinitePast(), false, -1, "limit", "limit: must not be negative"},
  };
  for (const auto& c : kCases) {
    v1::SweepRequest request;
    if (c.as_of != absl::InfinitePast()) *request.mutable_as_of_time() = ToTimestamp(c.as_of);
    request.set_dry_run(c.dry_run);
    request.set_limit(c.limit);
    const absl::Status status = Validate(request, now);
    if (c.field.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_EQ(testing::BadRequestFields(status), std::vector<std::string>{c.field}) << c.label;
    if (!c.message.empty()) EXPECT_EQ(status.message(), c.message) << c.label;
  }
}

TEST(SweepRequestTest, TheScopeDefaultsToNowAndTheMostTicketsASweepTakes) {
  const absl::Time now = Local(2024, 9, 30, 9);
  v1::SweepRequest request;
  SweepScope scope = SweepScopeOf(request, now);
  EXPECT_EQ(scope.as_of, now);
  EXPECT_EQ(scope.limit, kMaxSweepTickets);
  EXPECT_EQ(kMaxSweepTickets, 10000);

  *request.mutable_as_of_time() = ToTimestamp(Local(2024, 9, 27));
  request.set_limit(25);
  scope = SweepScopeOf(request, now);
  EXPECT_EQ(scope.as_of, Local(2024, 9, 27));
  EXPECT_EQ(scope.limit, 25);

  request.set_limit(kMaxSweepTickets + 1);
  EXPECT_EQ(SweepScopeOf(request, now).limit, kMaxSweepTickets);
}

}  // namespace
}  // namespace duban
