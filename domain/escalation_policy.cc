#include "domain/escalation_policy.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "base/errors.h"

namespace duban {
namespace {

void AddStep(v1::EscalationPolicy& policy, v1::EscalationLevel level, int offset,
             std::initializer_list<v1::EscalationTarget> targets) {
  v1::LadderStep* step = policy.add_ladder();
  step->set_level(level);
  step->set_offset_working_days(offset);
  for (v1::EscalationTarget target : targets) step->add_targets(target);
}

void CheckLadder(FieldViolations& violations, const std::string& field,
                 const google::protobuf::RepeatedPtrField<v1::LadderStep>& steps) {
  int previous_level = 0;
  int previous_offset = -1000;
  for (int i = 0; i < steps.size(); ++i) {
    const v1::LadderStep& step = steps[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (step.level() == v1::ESCALATION_LEVEL_UNSPECIFIED ||
        !v1::EscalationLevel_IsValid(step.level())) {
      violations.Add(absl::StrCat(at, ".level"), "must be a known EscalationLevel");
    } else if (step.level() <= previous_level) {
      violations.Add(absl::StrCat(at, ".level"), "levels must increase along the ladder");
    }
    if (step.offset_working_days() < -10 || step.offset_working_days() > 60) {
      violations.Add(absl::StrCat(at, ".offset_working_days"), "must be between -10 and 60");
    } else if (step.offset_working_days() < previous_offset) {
      violations.Add(absl::StrCat(at, ".offset_working_days"),
                     "must not be earlier than the step before");
    }
    if (step.targets().empty()) violations.Add(absl::StrCat(at, ".targets"), "needs a target");
    for (int t = 0; t < step.targets_size(); ++t) {
      if (step.targets(t) == v1::ESCALATION_TARGET_UNSPECIFIED ||
          !v1::EscalationTarget_IsValid(step.targets(t))) {
        violations.Add(absl::StrCat(at, ".targets[", t, "]"), "must be a known EscalationTarget");
      }
    }
    previous_level = step.level();
    previous_offset = step.offset_working_days();
  }
}

}  // namespace

v1::EscalationPolicy DefaultEscalationPolicy() {
  v1::EscalationPolicy policy;
  v1::StageClocks& clocks = *policy.mutable_stage_clocks();
  clocks.set_sign_for_days(1);
  clocks.set_inspect_days(3);
  clocks.set_plan_days(2);
  clocks.set_rectify_days(10);
  AddStep(policy, v1::ESCALATION_LEVEL_REMINDER, -1, {v1::ESCALATION_TARGET_ACTING_UNIT});
  AddStep(policy, v1::ESCALATION_LEVEL_YELLOW, 0,
          {v1::ESCALATION_TARGET_ACTING_UNIT, v1::ESCALATION_TARGET_UNIT_HEAD});
  AddStep(policy, v1::ESCALATION_LEVEL_RED, 3,
          {v1::ESCALATION_TARGET_UNIT_HEAD, v1::ESCALATION_TARGET_SUPERVISING_LEADER});
  AddStep(policy, v1::ESCALATION_LEVEL_REFERRAL, 5,
          {v1::ESCALATION_TARGET_DISCIPLINE, v1::ESCALATION_TARGET_ORGANIZATION});
  policy.set_refer_hard_flaws_at_filing(true);
  return policy;
}

absl::Status ValidateEscalationPolicy(const v1::EscalationPolicy& policy) {
  FieldViolations violations;
  const v1::StageClocks& clocks = policy.stage_clocks();
  const std::pair<const char*, int> clock_fields[] = {{"sign_for_days", clocks.sign_for_days()},
                                                      {"inspect_days", clocks.inspect_days()},
                                                      {"plan_days", clocks.plan_days()},
                                                      {"rectify_days", clocks.rectify_days()}};
  for (const auto& [name, days] : clock_fields) {
    if (days < 1 || days > 60) {
      violations.Add(absl::StrCat("policy.stage_clocks.", name), "must be between 1 and 60");
    }
  }
  CheckLadder(violations, "policy.ladder", policy.ladder());
  std::set<int> severities;
  for (int i = 0; i < policy.severity_ladders_size(); ++i) {
    const v1::SeverityLadder& ladder = policy.severity_ladders(i);
    const std::string at = absl::StrCat("policy.severity_ladders[", i, "]");
    if (ladder.severity() == v1::SEVERITY_UNSPECIFIED || !v1::Severity_IsValid(ladder.severity())) {
      violations.Add(absl::StrCat(at, ".severity"), "must be a known Severity");
    } else if (!severities.insert(ladder.severity()).second) {
      violations.Add(absl::StrCat(at, ".severity"), "has a ladder already");
    }
    CheckLadder(violations, absl::StrCat(at, ".steps"), ladder.steps());
  }
  return violations.ToStatus();
}

const google::protobuf::RepeatedPtrField<v1::LadderStep>& LadderFor(
    const v1::EscalationPolicy& policy, v1::Severity severity) {
  for (const v1::SeverityLadder& ladder : policy.severity_ladders()) {
    if (ladder.severity() == severity) return ladder.steps();
  }
  return policy.ladder();
}

v1::Card CardFor(v1::EscalationLevel level) {
  switch (level) {
    case v1::ESCALATION_LEVEL_REMINDER:
      return v1::CARD_REMINDER;
    case v1::ESCALATION_LEVEL_YELLOW:
      return v1::CARD_YELLOW;
    case v1::ESCALATION_LEVEL_RED:
      return v1::CARD_RED;
    case v1::ESCALATION_LEVEL_REFERRAL:
      return v1::CARD_REFERRED;
    default:
      return v1::CARD_NONE;
  }
}

}  // namespace duban
