// Disputes (退单): the lead unit says a ticket is not theirs; the issuer (or
// a leader) reassigns it or overrules; signing withdraws the dispute.
#include <string>

#include "base/errors.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::duban::testing::BadRequestFields;
using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::Must;
using ::duban::testing::OnlyEvent;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Monday 2024-03-18 09:30: one working day later is the end of Tuesday.
absl::Time Monday() { return Local(2024, 3, 18, 9, 30); }

class DisputeTest : public ::testing::Test {
 protected:
  // The task, disputed by its lead unit on Friday.
  v1::Ticket Disputed() const {
    v1::Ticket ticket = world_.TaskIn(v1::STAGE_DEPLOY);
    return Must(
        Apply(ticket, testing::DisputeRequest(ticket), world_.ContextFor(world_.lead_staff)));
  }

  LoopWorld world_;
};

TEST_F(DisputeTest, DisputeRecordsItAndStaysInDeploy) {
  const v1::Ticket before = world_.TaskIn(v1::STAGE_DEPLOY);
  absl::StatusOr<TicketChange> change = Apply(before, testing::DisputeRequest(before),
                                              world_.ContextFor(world_.lead_staff, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.stage(), v1::STAGE_DEPLOY);
  ASSERT_TRUE(ticket.has_dispute());
  EXPECT_EQ(ticket.dispute().disputer(), "principals/nongye-staff");
  EXPECT_EQ(ticket.dispute().reason(), "耕地保护归自然资源局");
  EXPECT_EQ(TimeOf(ticket.dispute().create_time()), Monday());
  // The issuer's clock: one working day from Monday.
  EXPECT_EQ(ticket.stage_cycle(), before.stage_cycle() + 1);
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 20));
  EXPECT_EQ(TimeOf(ticket.stage_enter_time()), Friday()) << "the stage did not change";
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_DISPUTED);
  EXPECT_EQ(OnlyEvent(*change).comment(), "耕地保护归自然资源局");
  EXPECT_EQ(OnlyEvent(*change).from_stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(OnlyEvent(*change).to_stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(ticket.etag(), "2");
  // While the dispute waits, the clock is the issuer's unit's.
  EXPECT_EQ(ticket.holder(), v1::HOLDER_ISSUER);
  EXPECT_EQ(ticket.holder_unit(), "units/county");
  EXPECT_EQ(OnlyEvent(*change).holder(), v1::HOLDER_ISSUER);
  EXPECT_EQ(OnlyEvent(*change).holder_unit(), "units/county");
  EXPECT_EQ(TimeOf(ticket.clock_start_time()), Monday());
}

TEST_F(DisputeTest, ASecondDisputeWaitsForTheFirst) {
  const v1::Ticket ticket = Disputed();
  absl::StatusOr<TicketChange> change =
      Apply(ticket, testing::DisputeRequest(ticket), world_.ContextFor(world_.lead_staff));
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(change.status()), "DISPUTE_PENDING");
}

TEST_F(DisputeTest, ResolvingWithoutADisputeIsRefused) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_DEPLOY);
  for (const auto& request :
       {testing::OverruleRequest(ticket), testing::ReassignRequest(ticket, "units/ziran")}) {
    absl::StatusOr<TicketChange> change = Apply(ticket, request, world_.ContextFor(world_.leader));
    ASSERT_FALSE(change.ok()) << request.resolution();
    EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(ErrorReason(change.status()), "NO_DISPUTE") << request.resolution();
  }
}

TEST_F(DisputeTest, ReassignMovesTheLeadAndDropsItFromTheCooperatingUnits) {
  const v1::Ticket before = Disputed();
  ASSERT_THAT(before.cooperating_units(), ElementsAre("units/ziran"));
  v1::ResolveTicketDisputeRequest request = testing::ReassignRequest(before, "units/ziran");
  request.set_comment("改由自然资源局牵头");
  absl::StatusOr<TicketChange> change =
      Apply(before, request, world_.ContextFor(world_.leader, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::Ticket& ticket = change->ticket;
  EXPECT_EQ(ticket.lead_unit(), "units/ziran");
  EXPECT_THAT(ticket.cooperating_units(), IsEmpty());
  EXPECT_FALSE(ticket.has_dispute());
  EXPECT_EQ(ticket.stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(ticket.stage_cycle(), before.stage_cycle() + 1);
  EXPECT_EQ(TimeOf(ticket.stage_due_time()), Local(2024, 3, 20));
  const v1::TicketEvent& event = OnlyEvent(*change);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_DISPUTE_REASSIGNED);
  EXPECT_EQ(event.previous_lead_unit(), "units/nongye");
  EXPECT_EQ(event.lead_unit(), "units/ziran");
  EXPECT_EQ(event.comment(), "改由自然资源局牵头");
  EXPECT_EQ(ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(ticket.holder_unit(), "units/ziran") << "the new lead unit's clock";
  EXPECT_EQ(event.holder_unit(), "units/ziran");
}

TEST_F(DisputeTest, ReassignToAnUninvolvedUnitKeepsTheCooperatingUnits) {
  const v1::Ticket before = Disputed();
  v1::Ticket ticket = Must(Apply(before, testing::ReassignRequest(before, "units/chengguan"),
                                 world_.ContextFor(world_.leader)));
  EXPECT_EQ(ticket.lead_unit(), "units/chengguan");
  EXPECT_THAT(ticket.cooperating_units(), ElementsAre("units/ziran"));
}

TEST_F(DisputeTest, ReassignToTheCurrentLeadIsInvalid) {
  const v1::Ticket ticket = Disputed();
  absl::StatusOr<TicketChange> change = Apply(
      ticket, testing::ReassignRequest(ticket, "units/nongye"), world_.ContextFor(world_.leader));
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(change.status()), ElementsAre("new_lead_unit"));
}

TEST_F(DisputeTest, OverruleKeepsTheLeadAndRestartsTheSignForClock) {
  const v1::Ticket before = Disputed();
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::OverruleRequest(before), world_.ContextFor(world_.leader, Monday()));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->ticket.lead_unit(), "units/nongye");
  EXPECT_THAT(change->ticket.cooperating_units(), ElementsAre("units/ziran"));
  EXPECT_FALSE(change->ticket.has_dispute());
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_DEPLOY);
  EXPECT_EQ(change->ticket.stage_cycle(), before.stage_cycle() + 1);
  EXPECT_EQ(TimeOf(change->ticket.stage_due_time()), Local(2024, 3, 20));
  EXPECT_EQ(OnlyEvent(*change).type(), v1::EVENT_TYPE_DISPUTE_OVERRULED);
  EXPECT_EQ(OnlyEvent(*change).comment(), "牵头单位不变");
  EXPECT_TRUE(OnlyEvent(*change).previous_lead_unit().empty());
  EXPECT_EQ(change->ticket.holder(), v1::HOLDER_LEAD_UNIT);
  EXPECT_EQ(change->ticket.holder_unit(), "units/nongye");
}

TEST_F(DisputeTest, AnotherLeaderMayResolveButAnInspectorMayNot) {
  const v1::Ticket ticket = Disputed();
  EXPECT_TRUE(
      Apply(ticket, testing::OverruleRequest(ticket), world_.ContextFor(world_.other_leader)).ok());
  absl::StatusOr<TicketChange> change =
      Apply(ticket, testing::OverruleRequest(ticket), world_.ContextFor(world_.inspector));
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ErrorReason(change.status()), "NOT_TICKET_ACTOR");
}

TEST_F(DisputeTest, SigningWithdrawsThePendingDispute) {
  const v1::Ticket before = Disputed();
  absl::StatusOr<TicketChange> change =
      Apply(before, testing::SignRequest(before), world_.ContextFor(world_.lead_staff));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_FALSE(change->ticket.has_dispute());
  EXPECT_EQ(change->ticket.stage(), v1::STAGE_IMPLEMENT);
}

TEST_F(DisputeTest, OnlyTheLeadUnitDisputes) {
  const v1::Ticket ticket = world_.TaskIn(v1::STAGE_DEPLOY);
  for (const Caller& caller : {world_.coop_staff, world_.other_staff, world_.leader}) {
    absl::StatusOr<TicketChange> change =
        Apply(ticket, testing::DisputeRequest(ticket), world_.ContextFor(caller));
    ASSERT_FALSE(change.ok()) << caller.principal;
    EXPECT_EQ(change.status().code(), absl::StatusCode::kPermissionDenied) << caller.principal;
    EXPECT_EQ(ErrorReason(change.status()), "NOT_TICKET_ACTOR") << caller.principal;
  }
}

}  // namespace
}  // namespace duban
