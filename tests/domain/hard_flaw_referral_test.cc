// 立即追责问责: a HARD_FLAW finding is referred to the discipline commission
// the moment it is filed, in the same change that creates it.
#include <string>

#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::Friday;
using ::duban::testing::LoopWorld;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::CreateTicketRequest HardFlaw(const LoopWorld& world) {
  v1::CreateTicketRequest request = world.FindingRequest();
  request.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
  return request;
}

TEST(HardFlawReferralTest, FilingAHardFlawRefersItAtOnce) {
  LoopWorld world;
  absl::StatusOr<TicketChange> change =
      NewTicket(8, HardFlaw(world), nullptr, world.ContextFor(world.inspector));
  ASSERT_TRUE(change.ok()) << change.status();

  ASSERT_EQ(change->events.size(), 2u);
  const v1::TicketEvent& created = change->events[0];
  const v1::TicketEvent& referred = change->events[1];
  EXPECT_EQ(created.type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(created.sequence(), 1);
  EXPECT_TRUE(created.has_stage_due_time()) << "the plan clock starts with the filing";
  EXPECT_EQ(referred.type(), v1::EVENT_TYPE_REFERRED);
  EXPECT_EQ(referred.sequence(), 2);
  EXPECT_EQ(referred.name(), "tickets/8/events/2");
  EXPECT_EQ(referred.card(), v1::CARD_REFERRED);
  EXPECT_EQ(referred.referral(), "referrals/1");
  EXPECT_EQ(referred.actor(), "principals/zhao");
  EXPECT_EQ(referred.etag(), "2");
  for (const v1::TicketEvent& event : change->events) {
    EXPECT_EQ(event.to_stage(), v1::STAGE_FEEDBACK) << event.type();
    EXPECT_EQ(event.holder(), v1::HOLDER_LEAD_UNIT) << event.type();
    EXPECT_EQ(event.holder_unit(), "units/chengguan") << event.type();
    EXPECT_EQ(TimeOf(event.create_time()), Friday()) << event.type();
  }

  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_FEEDBACK);
  EXPECT_EQ(ticket.severity(), v1::SEVERITY_HARD_FLAW);
  EXPECT_EQ(ticket.etag(), "2") << "the etag is the last event's sequence";
  EXPECT_EQ(ticket.card(), v1::CARD_REFERRED);
  EXPECT_THAT(ticket.referrals(), ElementsAre("referrals/1"));

  ASSERT_EQ(change->referrals.size(), 1u);
  const v1::Referral& referral = change->referrals[0];
  EXPECT_EQ(referral.name(), "referrals/1");
  EXPECT_EQ(referral.ticket(), "tickets/8");
  EXPECT_EQ(referral.ticket_title(), "村道垃圾未清运");
  EXPECT_EQ(referral.trigger(), v1::REFERRAL_TRIGGER_HARD_FLAW);
  EXPECT_EQ(referral.unit(), "units/chengguan") << "the lead unit answers for a hard flaw";
  EXPECT_EQ(referral.responsible_principal(), "") << "nobody has signed for a new finding";
  EXPECT_EQ(referral.stage(), v1::STAGE_FEEDBACK);
  EXPECT_FALSE(referral.has_deadline()) << "no deadline slipped: the flaw itself is the cause";
  EXPECT_EQ(referral.trail_until_sequence(), 2);
  EXPECT_EQ(TimeOf(referral.create_time()), Friday());
  EXPECT_EQ(referral.etag(), "1");
  EXPECT_THAT(referral.dispositions(), IsEmpty());
  EXPECT_EQ(*world.referrals_made, 1) << "one name asked for";
}

TEST(HardFlawReferralTest, OtherSeveritiesAreNotReferredAtFiling) {
  for (v1::Severity severity : {v1::SEVERITY_NORMAL, v1::SEVERITY_MAJOR}) {
    LoopWorld world;
    v1::CreateTicketRequest request = world.FindingRequest();
    request.mutable_ticket()->set_severity(severity);
    absl::StatusOr<TicketChange> change =
        NewTicket(8, request, nullptr, world.ContextFor(world.inspector));
    ASSERT_TRUE(change.ok()) << change.status();
    ASSERT_EQ(change->events.size(), 1u) << severity;
    EXPECT_EQ(change->events[0].type(), v1::EVENT_TYPE_CREATED);
    EXPECT_EQ(change->ticket.card(), v1::CARD_NONE) << severity;
    EXPECT_THAT(change->ticket.referrals(), IsEmpty()) << severity;
    EXPECT_THAT(change->referrals, IsEmpty()) << severity;
    EXPECT_EQ(*world.referrals_made, 0) << severity;
  }
}

TEST(HardFlawReferralTest, APolicyMayTurnFilingReferralsOff) {
  LoopWorld world;
  world.policy.set_refer_hard_flaws_at_filing(false);
  absl::StatusOr<TicketChange> change =
      NewTicket(8, HardFlaw(world), nullptr, world.ContextFor(world.inspector));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 1u);
  EXPECT_EQ(change->ticket.card(), v1::CARD_NONE);
  EXPECT_EQ(change->ticket.etag(), "1");
  EXPECT_THAT(change->ticket.referrals(), IsEmpty());
  EXPECT_THAT(change->referrals, IsEmpty());
}

// A task deployed as a hard flaw is not a finding of one: nothing to refer
// yet.
TEST(HardFlawReferralTest, ATaskOfHardFlawSeverityIsNotReferredAtDeployment) {
  LoopWorld world;
  v1::CreateTicketRequest request = world.TaskRequest();
  request.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
  absl::StatusOr<TicketChange> change =
      NewTicket(7, request, nullptr, world.ContextFor(world.leader));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->events.size(), 1u);
  EXPECT_THAT(change->referrals, IsEmpty());
  EXPECT_EQ(change->ticket.card(), v1::CARD_NONE);
}

// The referral at filing is not a ladder level: the plan clock still runs,
// its ladder still fires, and the card stays at the highest it reached.
TEST(HardFlawReferralTest, TheLadderStillRunsAndTheCardStaysReferred) {
  LoopWorld world;
  const v1::Ticket ticket =
      testing::Must(NewTicket(8, HardFlaw(world), nullptr, world.ContextFor(world.inspector)));
  ASSERT_TRUE(ticket.has_next_escalation_time());
  ASSERT_THAT(ticket.fired_levels(), IsEmpty());
  // The plan was due at the end of Tuesday 03-19: by Thursday the reminder
  // and the yellow card have fired.
  const absl::Time as_of = testing::Local(2024, 3, 21, 9);
  absl::StatusOr<TicketChange> change = Escalate(
      ticket, as_of, world.ContextFor(testing::MakeCaller("cron", v1::ROLE_ESCALATOR, ""), as_of));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_EQ(change->events.size(), 2u);
  EXPECT_EQ(change->events[0].level(), v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(change->events[1].level(), v1::ESCALATION_LEVEL_YELLOW);
  EXPECT_EQ(change->ticket.card(), v1::CARD_REFERRED) << "a card never goes down within a cycle";
  EXPECT_THAT(change->ticket.fired_levels(),
              ElementsAre(v1::ESCALATION_LEVEL_REMINDER, v1::ESCALATION_LEVEL_YELLOW));
  EXPECT_THAT(change->referrals, IsEmpty());
}

}  // namespace
}  // namespace duban
