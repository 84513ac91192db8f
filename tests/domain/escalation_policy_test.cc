// The escalation policy: the default of the product brief, the card each
// level gives, and the rules a policy must keep before it is stored.
#include "domain/escalation_policy.h"

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/domain/status_testing.h"

namespace duban {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

constexpr v1::EscalationLevel kReminder = v1::ESCALATION_LEVEL_REMINDER;
constexpr v1::EscalationLevel kYellow = v1::ESCALATION_LEVEL_YELLOW;
constexpr v1::EscalationLevel kRed = v1::ESCALATION_LEVEL_RED;
constexpr v1::EscalationLevel kReferral = v1::ESCALATION_LEVEL_REFERRAL;

TEST(EscalationPolicyTest, TheDefaultIsTheProductBrief) {
  const v1::EscalationPolicy policy = DefaultEscalationPolicy();
  EXPECT_TRUE(ValidateEscalationPolicy(policy).ok()) << ValidateEscalationPolicy(policy);
  EXPECT_EQ(policy.stage_clocks().sign_for_days(), 1);
  EXPECT_EQ(policy.stage_clocks().inspect_days(), 3);
  EXPECT_EQ(policy.stage_clocks().plan_days(), 2);
  EXPECT_EQ(policy.stage_clocks().rectify_days(), 10);
  EXPECT_TRUE(policy.refer_hard_flaws_at_filing());
  EXPECT_THAT(policy.severity_ladders(), IsEmpty());
  using T = v1::EscalationTarget;
  static const struct {
    v1::EscalationLevel level;
    int offset;
    std::vector<T> targets;
  } kLadder[] = {
      {kReminder, -1, {v1::ESCALATION_TARGET_ACTING_UNIT}},
      {kYellow, 0, {v1::ESCALATION_TARGET_ACTING_UNIT, v1::ESCALATION_TARGET_UNIT_HEAD}},
      {kRed, 3, {v1::ESCALATION_TARGET_UNIT_HEAD, v1::ESCALATION_TARGET_SUPERVISING_LEADER}},
      {kReferral, 5, {v1::ESCALATION_TARGET_DISCIPLINE, v1::ESCALATION_TARGET_ORGANIZATION}},
  };
  ASSERT_EQ(policy.ladder_size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(policy.ladder(i).level(), kLadder[i].level) << i;
    EXPECT_EQ(policy.ladder(i).offset_working_days(), kLadder[i].offset) << i;
    EXPECT_THAT(policy.ladder(i).targets(), ElementsAreArray(kLadder[i].targets)) << i;
  }
}

TEST(EscalationPolicyTest, CardForEachLevel) {
  EXPECT_EQ(CardFor(kReminder), v1::CARD_REMINDER);
  EXPECT_EQ(CardFor(kYellow), v1::CARD_YELLOW);
  EXPECT_EQ(CardFor(kRed), v1::CARD_RED);
  EXPECT_EQ(CardFor(kReferral), v1::CARD_REFERRED);
  EXPECT_EQ(CardFor(v1::ESCALATION_LEVEL_UNSPECIFIED), v1::CARD_NONE);
}

TEST(EscalationPolicyTest, ValidateNamesEachBadField) {
  using Edit = std::function<void(v1::EscalationPolicy&)>;
  const auto step = [](v1::EscalationPolicy& p, int i) { return p.mutable_ladder(i); };
  const auto override_for = [](v1::EscalationPolicy& p, v1::Severity severity) {
    v1::SeverityLadder& ladder = *p.add_severity_ladders();
    ladder.set_severity(severity);
    *ladder.mutable_steps() = p.ladder();
    return &ladder;
  };
  const struct {
    const char* label;
    Edit edit;
    std::vector<std::string> fields;  // empty: valid
  } kCases[] = {
      {"the default", [](v1::EscalationPolicy&) {}, {}},
      {"clocks at the limits",
       [](v1::EscalationPolicy& p) {
         p.mutable_stage_clocks()->set_sign_for_days(1);
         p.mutable_stage_clocks()->set_rectify_days(60);
       },
       {}},
      {"an override per severity",
       [&](v1::EscalationPolicy& p) {
         override_for(p, v1::SEVERITY_MAJOR);
         override_for(p, v1::SEVERITY_HARD_FLAW);
       },
       {}},
      {"sign-for clock 0",
       [](v1::EscalationPolicy& p) { p.mutable_stage_clocks()->set_sign_for_days(0); },
       {"policy.stage_clocks.sign_for_days"}},
      {"rectification clock 61",
       [](v1::EscalationPolicy& p) { p.mutable_stage_clocks()->set_rectify_days(61); },
       {"policy.stage_clocks.rectify_days"}},
      {"no clocks at all",
       [](v1::EscalationPolicy& p) { p.clear_stage_clocks(); },
       {"policy.stage_clocks.sign_for_days", "policy.stage_clocks.inspect_days",
        "policy.stage_clocks.plan_days", "policy.stage_clocks.rectify_days"}},
      {"levels not increasing",
       [&](v1::EscalationPolicy& p) { step(p, 2)->set_level(kYellow); },
       {"policy.ladder[2].level"}},
      {"an unknown level",
       [&](v1::EscalationPolicy& p) { step(p, 3)->set_level(v1::EscalationLevel(9)); },
       {"policy.ladder[3].level"}},
      {"an unspecified level",
       [&](v1::EscalationPolicy& p) { step(p, 0)->set_level(v1::ESCALATION_LEVEL_UNSPECIFIED); },
       {"policy.ladder[0].level"}},
      {"offsets decreasing",
       [&](v1::EscalationPolicy& p) { step(p, 3)->set_offset_working_days(2); },
       {"policy.ladder[3].offset_working_days"}},
      {"equal offsets are fine",
       [&](v1::EscalationPolicy& p) { step(p, 3)->set_offset_working_days(3); },
       {}},
      {"an offset too early",
       [&](v1::EscalationPolicy& p) { step(p, 0)->set_offset_working_days(-11); },
       {"policy.ladder[0].offset_working_days"}},
      {"an offset too late",
       [&](v1::EscalationPolicy& p) { step(p, 3)->set_offset_working_days(61); },
       {"policy.ladder[3].offset_working_days"}},
      {"a step without targets",
       [&](v1::EscalationPolicy& p) { step(p, 1)->clear_targets(); },
       {"policy.ladder[1].targets"}},
      {"an unknown target",
       [&](v1::EscalationPolicy& p) {
         step(p, 1)->set_targets(1, static_cast<v1::EscalationTarget>(42));
       },
       {"policy.ladder[1].targets[1]"}},
      {"two overrides for one severity",
       [&](v1::EscalationPolicy& p) {
         override_for(p, v1::SEVERITY_MAJOR);
         override_for(p, v1::SEVERITY_MAJOR);
       },
       {"policy.severity_ladders[1].severity"}},
      {"an override for no severity",
       [&](v1::EscalationPolicy& p) { override_for(p, v1::SEVERITY_UNSPECIFIED); },
       {"policy.severity_ladders[0].severity"}},
      {"a bad step inside an override",
       [&](v1::EscalationPolicy& p) {
         override_for(p, v1::SEVERITY_MAJOR)->mutable_steps(0)->clear_targets();
       },
       {"policy.severity_ladders[0].steps[0].targets"}},
  };
  for (const auto& c : kCases) {
    v1::EscalationPolicy policy = DefaultEscalationPolicy();
    c.edit(policy);
    const absl::Status status = ValidateEscalationPolicy(policy);
    if (c.fields.empty()) {
      EXPECT_TRUE(status.ok()) << c.label << ": " << status;
      continue;
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(testing::BadRequestFields(status), ElementsAreArray(c.fields)) << c.label;
  }
}

}  // namespace
}  // namespace duban
