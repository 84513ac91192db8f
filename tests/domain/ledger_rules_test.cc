// The ledger rules a step triggers by itself (ledger_rules.h): a referral on
// a ticket with an indicator deducts from it, and — when the policy turns it
// on — so does closing such a ticket after its deadline. The entry is part
// of the same TicketChange and traces back to the ticket and its event.
#include "domain/ledger_rules.h"

#include <string>
#include <vector>

#include "base/time_convert.h"
#include "domain/escalation_ladder.h"
#include "domain/ticket_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/loop_fixture.h"

namespace duban {
namespace {

using ::duban::testing::AcceptRequest;
using ::duban::testing::Friday;
using ::duban::testing::Local;
using ::duban::testing::LoopWorld;
using ::duban::testing::MakeCaller;
using ::duban::testing::Must;
using ::duban::testing::TimeOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// (unit, role, points) of each charge.
std::vector<std::string> Charges(const v1::LedgerEntry& entry) {
  std::vector<std::string> charges;
  for (const v1::Charge& c : entry.charges()) {
    charges.push_back(c.unit() + " " + v1::ChargeRole_Name(c.role()) + " " + c.points());
  }
  return charges;
}

// The one event of `change` of `type` (and `level`, for ESCALATED).
const v1::TicketEvent* FindEvent(const TicketChange& change, v1::EventType type,
                                 v1::EscalationLevel level = v1::ESCALATION_LEVEL_UNSPECIFIED) {
  for (const v1::TicketEvent& event : change.events) {
    if (event.type() == type &&
        (level == v1::ESCALATION_LEVEL_UNSPECIFIED || event.level() == level)) {
      return &event;
    }
  }
  return nullptr;
}

class LedgerRulesTest : public ::testing::Test {
 protected:
  // The LoopWorld task (lead nongye, due 2024-04-30 18:00), about
  // `indicator` when given.
  v1::Ticket Task(const std::string& indicator) const {
    v1::CreateTicketRequest request = world_.TaskRequest();
    request.mutable_ticket()->set_indicator(indicator);
    return Must(NewTicket(7, request, nullptr, world_.ContextFor(world_.leader)));
  }

  // Every level of the DEPLOY ladder fired at once, REFERRAL included.
  absl::StatusOr<TicketChange> EscalateLate(const v1::Ticket& ticket) const {
    const absl::Time as_of = Local(2024, 4, 8, 9);
    return Escalate(ticket, as_of, world_.ContextFor(escalator_, as_of));
  }

  LoopWorld world_;
  Caller escalator_ = MakeCaller("cron", v1::ROLE_ESCALATOR, "");
};

TEST_F(LedgerRulesTest, AReferralEscalationDeductsFromTheTicketsIndicator) {
  absl::StatusOr<TicketChange> change = EscalateLate(Task("indicators/renju"));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::TicketEvent* referral =
      FindEvent(*change, v1::EVENT_TYPE_ESCALATED, v1::ESCALATION_LEVEL_REFERRAL);
  ASSERT_NE(referral, nullptr) << "the ladder did not reach REFERRAL";

  ASSERT_EQ(change->ledger_entries.size(), 1u) << "one deduction, for REFERRAL only";
  const v1::LedgerEntry& entry = change->ledger_entries[0];
  EXPECT_EQ(entry.name(), "ledgerEntries/1");
  EXPECT_EQ(entry.kind(), v1::LEDGER_ENTRY_KIND_DEDUCTION);
  EXPECT_EQ(entry.indicator(), "indicators/renju");
  EXPECT_EQ(entry.period(), "2024");
  EXPECT_EQ(entry.county_points(), "1");
  // The indicator's units are charged, whatever units the ticket names.
  EXPECT_THAT(Charges(entry), ElementsAre("units/nongye CHARGE_ROLE_LEAD -3",
                                          "units/ziran CHARGE_ROLE_COOPERATING -2.1",
                                          "units/chengguan CHARGE_ROLE_COOPERATING -2.1"));
  EXPECT_EQ(entry.source(), v1::LEDGER_SOURCE_REFERRAL_RULE);
  EXPECT_EQ(entry.source_ticket(), "tickets/7");
  EXPECT_THAT(entry.source_events(), ElementsAre(referral->name()));
  EXPECT_THAT(entry.reason(), ::testing::HasSubstr(referral->referral()));
  EXPECT_EQ(entry.lead_multiplier(), "3");
  EXPECT_EQ(entry.cooperating_ratio(), "0.7");
  EXPECT_EQ(TimeOf(entry.create_time()), Local(2024, 4, 8, 9));
  EXPECT_EQ(*world_.ledger_entries_made, 1);
}

TEST_F(LedgerRulesTest, AHardFlawReferredAtFilingDeductsInTheCreatingChange) {
  v1::CreateTicketRequest request = world_.FindingRequest();
  request.mutable_ticket()->set_severity(v1::SEVERITY_HARD_FLAW);
  request.mutable_ticket()->set_indicator("indicators/gengdi");
  absl::StatusOr<TicketChange> change =
      NewTicket(8, request, nullptr, world_.ContextFor(world_.inspector));
  ASSERT_TRUE(change.ok()) << change.status();
  const v1::TicketEvent* referred = FindEvent(*change, v1::EVENT_TYPE_REFERRED);
  ASSERT_NE(referred, nullptr);
  ASSERT_EQ(change->ledger_entries.size(), 1u);
  const v1::LedgerEntry& entry = change->ledger_entries[0];
  EXPECT_EQ(entry.indicator(), "indicators/gengdi");
  // The finding's lead unit answers for the hard flaw; it is not the
  // indicator's lead (ziran), so it is charged alone.
  EXPECT_THAT(Charges(entry), ElementsAre("units/chengguan CHARGE_ROLE_ACCOUNTABLE -3"));
  EXPECT_EQ(entry.source(), v1::LEDGER_SOURCE_REFERRAL_RULE);
  EXPECT_EQ(entry.source_ticket(), "tickets/8");
  EXPECT_THAT(entry.source_events(), ElementsAre("tickets/8/events/2"));
  EXPECT_EQ(referred->name(), "tickets/8/events/2");
}

TEST_F(LedgerRulesTest, TheReferralRuleFollowsThePolicy) {
  struct Case {
    const char* name;
    std::string indicator;
    bool rule_on;
    const char* deduction;
    std::vector<std::string> charges;  // empty: no entry
  } cases[] = {
      {"rule on",
       "indicators/renju",
       true,
       "1",
       {"units/nongye CHARGE_ROLE_LEAD -3", "units/ziran CHARGE_ROLE_COOPERATING -2.1",
        "units/chengguan CHARGE_ROLE_COOPERATING -2.1"}},
      {"another amount",
       "indicators/renju",
       true,
       "0.5",
       {"units/nongye CHARGE_ROLE_LEAD -1.5", "units/ziran CHARGE_ROLE_COOPERATING -1.05",
        "units/chengguan CHARGE_ROLE_COOPERATING -1.05"}},
      {"rule off", "indicators/renju", false, "1", {}},
      {"no indicator", "", true, "1", {}},
  };
  for (const Case& c : cases) {
    world_.ledger_policy.set_deduct_on_referral(c.rule_on);
    world_.ledger_policy.set_referral_deduction(c.deduction);
    absl::StatusOr<TicketChange> change = EscalateLate(Task(c.indicator));
    ASSERT_TRUE(change.ok()) << c.name << ": " << change.status();
    ASSERT_NE(FindEvent(*change, v1::EVENT_TYPE_ESCALATED, v1::ESCALATION_LEVEL_REFERRAL), nullptr)
        << c.name;
    if (c.charges.empty()) {
      EXPECT_THAT(change->ledger_entries, IsEmpty()) << c.name;
      continue;
    }
    ASSERT_EQ(change->ledger_entries.size(), 1u) << c.name;
    EXPECT_EQ(Charges(change->ledger_entries[0]), c.charges) << c.name;
    EXPECT_EQ(change->ledger_entries[0].county_points(), c.deduction) << c.name;
  }
}

// The referral rule charges the unit that answers for the referral: the
// indicator's lead unit with its cooperating units, as any deduction; any
// other unit — the inspection unit for a late review, the issuer's unit for
// a dispute left unanswered — alone, with the lead multiplier.
TEST_F(LedgerRulesTest, TheReferralDeductionChargesTheUnitThatAnswersForIt) {
  struct Case {
    const char* name;
    v1::Stage stage;
    bool disputed;
    std::vector<std::string> charges;
    const char* in_reason;  // "" when the reason names nobody else
  } cases[] = {
      {"the lead unit's slip",
       v1::STAGE_IMPLEMENT,
       false,
       {"units/nongye CHARGE_ROLE_LEAD -3", "units/ziran CHARGE_ROLE_COOPERATING -2.1",
        "units/chengguan CHARGE_ROLE_COOPERATING -2.1"},
       ""},
      {"a late review", v1::STAGE_INSPECT, false, {"units/ducha CHARGE_ROLE_ACCOUNTABLE -3"},
       "units/ducha answers for it, not the indicator's lead units/nongye"},
      {"a dispute left unanswered", v1::STAGE_DEPLOY, true,
       {"units/county CHARGE_ROLE_ACCOUNTABLE -3"},
       "units/county answers for it, not the indicator's lead units/nongye"},
  };
  for (const Case& c : cases) {
    v1::Ticket ticket = world_.Walk(Task("indicators/renju"), c.stage);
    if (c.disputed) {
      ticket = Must(Apply(ticket, testing::DisputeRequest(ticket),
                          world_.ContextFor(world_.lead_staff)));
    }
    const absl::Time as_of = Local(2024, 12, 2);
    absl::StatusOr<TicketChange> change =
        Escalate(ticket, as_of, world_.ContextFor(escalator_, as_of));
    ASSERT_TRUE(change.ok()) << c.name << ": " << change.status();
    ASSERT_EQ(change->ledger_entries.size(), 1u) << c.name;
    const v1::LedgerEntry& entry = change->ledger_entries[0];
    EXPECT_EQ(Charges(entry), c.charges) << c.name;
    EXPECT_EQ(entry.county_points(), "1") << c.name;
    if (*c.in_reason != '\0') {
      EXPECT_THAT(entry.reason(), ::testing::HasSubstr(c.in_reason)) << c.name;
    } else {
      EXPECT_THAT(entry.reason(), ::testing::Not(::testing::HasSubstr("answers for it")))
          << c.name;
    }
  }
}

TEST_F(LedgerRulesTest, EscalationsBelowReferralDeductNothing) {
  const v1::Ticket ticket = Task("indicators/renju");
  // The sign-for clock ends with Monday 03-18: YELLOW and RED by 03-22.
  const absl::Time as_of = Local(2024, 3, 22, 9);
  absl::StatusOr<TicketChange> change =
      Escalate(ticket, as_of, world_.ContextFor(escalator_, as_of));
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_FALSE(change->events.empty());
  EXPECT_EQ(FindEvent(*change, v1::EVENT_TYPE_ESCALATED, v1::ESCALATION_LEVEL_REFERRAL), nullptr);
  EXPECT_THAT(change->ledger_entries, IsEmpty());
  EXPECT_EQ(*world_.ledger_entries_made, 0) << "no name asked for";
}

TEST_F(LedgerRulesTest, TheLateCloseRuleDeductsWhenATaskIsAcceptedAfterItsDueTime) {
  struct Case {
    const char* name;
    bool rule_on;
    absl::Time accepted;
    bool deducts;
  } cases[] = {
      {"late, rule on", true, Local(2024, 5, 6, 10), true},
      {"a minute late, rule on", true, Local(2024, 4, 30, 18, 1), true},
      {"on time, rule on", true, Local(2024, 4, 30, 17, 59), false},
      {"late, rule off (the default)", false, Local(2024, 5, 6, 10), false},
  };
  for (const Case& c : cases) {
    LoopWorld world;
    world.ledger_policy.set_deduct_on_late_close(c.rule_on);
    v1::CreateTicketRequest request = world.TaskRequest();
    request.mutable_ticket()->set_indicator("indicators/renju");
    const v1::Ticket inspecting = world.Walk(world.Create(request), v1::STAGE_INSPECT);
    absl::StatusOr<TicketChange> change =
        Apply(inspecting, AcceptRequest(inspecting), world.ContextFor(world.inspector, c.accepted));
    ASSERT_TRUE(change.ok()) << c.name << ": " << change.status();
    ASSERT_EQ(change->ticket.stage(), v1::STAGE_CLOSED) << c.name;
    if (!c.deducts) {
      EXPECT_THAT(change->ledger_entries, IsEmpty()) << c.name;
      continue;
    }
    ASSERT_EQ(change->ledger_entries.size(), 1u) << c.name;
    const v1::LedgerEntry& entry = change->ledger_entries[0];
    EXPECT_EQ(entry.source(), v1::LEDGER_SOURCE_LATE_CLOSE_RULE) << c.name;
    EXPECT_EQ(entry.county_points(), "0.5") << c.name;
    EXPECT_THAT(Charges(entry), ElementsAre("units/nongye CHARGE_ROLE_LEAD -1.5",
                                            "units/ziran CHARGE_ROLE_COOPERATING -1.05",
                                            "units/chengguan CHARGE_ROLE_COOPERATING -1.05"))
        << c.name;
    EXPECT_EQ(entry.source_ticket(), "tickets/7") << c.name;
    ASSERT_EQ(change->events.size(), 1u) << c.name;
    EXPECT_THAT(entry.source_events(), ElementsAre(change->events[0].name())) << c.name;
  }
}

// A finding is judged against its rectification deadline (by default 10
// working days from the filing: the end of Friday 2024-03-29).
TEST_F(LedgerRulesTest, AFindingIsLateAfterItsRectificationDeadline) {
  struct Case {
    absl::Time accepted;
    bool deducts;
  } cases[] = {
      {Local(2024, 3, 29, 23, 59), false},
      {Local(2024, 4, 1, 9), true},
  };
  for (const Case& c : cases) {
    LoopWorld world;
    world.ledger_policy.set_deduct_on_late_close(true);
    v1::CreateTicketRequest request = world.FindingRequest();
    request.mutable_ticket()->set_indicator("indicators/renju");
    v1::Ticket ticket = world.Create(request);
    ASSERT_EQ(TimeOf(ticket.rectification_due_time()), Local(2024, 3, 30));
    ticket = Must(Apply(ticket, testing::PlanRequest(ticket), world.ContextFor(world.other_staff)));
    ticket =
        Must(Apply(ticket, testing::SubmitRequest(ticket), world.ContextFor(world.other_staff)));
    ASSERT_EQ(ticket.stage(), v1::STAGE_INSPECT);
    absl::StatusOr<TicketChange> change =
        Apply(ticket, AcceptRequest(ticket), world.ContextFor(world.inspector, c.accepted));
    ASSERT_TRUE(change.ok()) << change.status();
    ASSERT_EQ(change->ticket.stage(), v1::STAGE_CLOSED);
    EXPECT_EQ(change->ledger_entries.size(), c.deducts ? 1u : 0u) << absl::FormatTime(c.accepted);
  }
}

TEST_F(LedgerRulesTest, TheLateCloseRuleIgnoresTicketsWithoutAnIndicator) {
  world_.ledger_policy.set_deduct_on_late_close(true);
  const v1::Ticket inspecting = world_.TaskIn(v1::STAGE_INSPECT);
  ASSERT_EQ(inspecting.indicator(), "");
  absl::StatusOr<TicketChange> change =
      Apply(inspecting, AcceptRequest(inspecting),
            world_.ContextFor(world_.inspector, Local(2024, 5, 6, 10)));
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_THAT(change->ledger_entries, IsEmpty());
}

TEST_F(LedgerRulesTest, StepsThatNeitherReferNorCloseDeductNothing) {
  world_.ledger_policy.set_deduct_on_late_close(true);
  v1::CreateTicketRequest request = world_.TaskRequest();
  request.mutable_ticket()->set_indicator("indicators/renju");
  v1::Ticket ticket = world_.Create(request);
  // Signing, submitting and rejecting long after the due time.
  const absl::Time late = Local(2024, 6, 3, 10);
  for (int step = 0; step < 3; ++step) {
    absl::StatusOr<TicketChange> change =
        step == 0   ? Apply(ticket, testing::SignRequest(ticket),
                            world_.ContextFor(world_.lead_staff, late))
        : step == 1 ? Apply(ticket, testing::SubmitRequest(ticket),
                            world_.ContextFor(world_.lead_staff, late))
                    : Apply(ticket, testing::RejectRequest(ticket),
                            world_.ContextFor(world_.inspector, late));
    ASSERT_TRUE(change.ok()) << step << ": " << change.status();
    EXPECT_THAT(change->ledger_entries, IsEmpty()) << step;
    ticket = change->ticket;
  }
  EXPECT_EQ(*world_.ledger_entries_made, 0);
}

}  // namespace
}  // namespace duban
