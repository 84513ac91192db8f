// The escalation policy: the default (PRODUCT.md, "Escalation ladder"), the
// rules a policy must keep, and the ladder that applies to a ticket.
//
//   const v1::EscalationPolicy policy = DefaultEscalationPolicy();
//   for (const v1::LadderStep& step : LadderFor(policy, ticket.severity())) ...
#ifndef DUBAN_DOMAIN_ESCALATION_POLICY_H_
#define DUBAN_DOMAIN_ESCALATION_POLICY_H_

#include "absl/status/status.h"
#include "duban/v1/escalation.pb.h"
#include "google/protobuf/repeated_field.h"

namespace duban {

// Sign-for 1, inspection 3, plan 2, rectification 10 working days; REMINDER
// −1 working day (acting unit), YELLOW at the deadline (unit head), RED +3
// (supervising leader), REFERRAL +5 (discipline commission, organization
// department); HARD_FLAW findings referred at filing.
v1::EscalationPolicy DefaultEscalationPolicy();

// Stage clocks 1–60 working days; each ladder's steps have distinct known
// levels in increasing order with non-decreasing offsets in −10..60, at
// least one target each; one override per severity at most.
// INVALID_ARGUMENT naming each bad field under "policy.".
[[nodiscard]] absl::Status ValidateEscalationPolicy(const v1::EscalationPolicy& policy);

// The ladder for tickets of `severity`: its override, or the default.
const google::protobuf::RepeatedPtrField<v1::LadderStep>& LadderFor(
    const v1::EscalationPolicy& policy, v1::Severity severity);

// The card a level gives: REMINDER → REMINDER, …, REFERRAL → REFERRED.
v1::Card CardFor(v1::EscalationLevel level);

}  // namespace duban

#endif  // DUBAN_DOMAIN_ESCALATION_POLICY_H_
