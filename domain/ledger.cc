#include "domain/ledger.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/filter_terms.h"
#include "domain/loop_steps.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {
namespace {

// Parses a policy number in [0, max] into `out`, or adds a violation.
void CheckPolicyNumber(FieldViolations& violations, absl::string_view field,
                       const std::string& text, Points max) {
  absl::StatusOr<Points> value = Points::Parse(text, field);
  if (!value.ok()) {
    violations.Add(std::string(field), std::string(value.status().message()));
  } else if (*value < Points() || *value > max) {
    violations.Add(std::string(field), absl::StrCat("must be between 0 and ", max.ToString()));
  }
}

Points PolicyNumber(const std::string& text) {
  return Points::Parse(text, "policy").value_or(Points());
}

void CheckPeriod(FieldViolations& violations, absl::string_view period) {
  int year = 0;
  if (period.size() != 4 || !absl::SimpleAtoi(period, &year) || year < 2000 || year > 2200) {
    violations.Add("period", "must be a year like 2025");
  }
}

// The indicator a request names, or a violation.
std::optional<v1::Indicator> FindIndicator(FieldViolations& violations, absl::string_view name,
                                           const IndicatorCatalog& indicators) {
  if (!IsValidName(name, kIndicatorsPrefix)) {
    violations.Add("indicator", "must be an indicator name like indicators/gengdi");
    return std::nullopt;
  }
  std::optional<v1::Indicator> indicator = indicators.FindIndicator(name);
  if (!indicator) violations.Add("indicator", absl::StrCat("no indicator ", name));
  return indicator;
}

// The fields a deduction and a veto failure share: the indicator (returned),
// the period (defaulted), the reason, the source ticket, the evidence.
template <typename Request>
std::optional<v1::Indicator> CheckOfficeRequest(FieldViolations& violations, const Request& request,
                                                const LedgerContext& context, std::string& period) {
  std::optional<v1::Indicator> indicator =
      FindIndicator(violations, request.indicator(), *context.indicators);
  period = request.period().empty() ? CurrentPeriod(context.now, context.zone) : request.period();
  CheckPeriod(violations, period);
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  if (!request.source_ticket().empty() && !ParseTicketName(request.source_ticket(), "").ok()) {
    violations.Add("source_ticket", "must be a ticket name like tickets/42");
  }
  CheckEvidence(violations, "evidence", request.evidence());
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  return indicator;
}

// The fields every entry shares.
v1::LedgerEntry Stamped(v1::LedgerEntryKind kind, const LedgerContext& context) {
  v1::LedgerEntry entry;
  entry.set_name(context.name);
  entry.set_kind(kind);
  entry.set_policy_version(context.policy->version());
  entry.set_lead_multiplier(context.policy->lead_multiplier());
  entry.set_cooperating_ratio(context.policy->cooperating_ratio());
  entry.set_actor(context.caller.principal);
  *entry.mutable_create_time() = ToTimestamp(context.now);
  return entry;
}

}  // namespace

v1::LedgerPolicy DefaultLedgerPolicy() {
  v1::LedgerPolicy policy;
  policy.set_lead_multiplier("3");
  policy.set_cooperating_ratio("0.7");
  policy.set_base_points("100");
  policy.set_deduct_on_referral(true);
  policy.set_referral_deduction("1");
  policy.set_deduct_on_late_close(false);
  policy.set_late_close_deduction("0.5");
  return policy;
}

absl::Status ValidateLedgerPolicy(const v1::LedgerPolicy& policy) {
  FieldViolations violations;
  CheckPolicyNumber(violations, "policy.lead_multiplier", policy.lead_multiplier(),
                    Points::FromHundredths(10000));
  CheckPolicyNumber(violations, "policy.cooperating_ratio", policy.cooperating_ratio(),
                    Points::FromHundredths(1000));
  CheckPolicyNumber(violations, "policy.base_points", policy.base_points(),
                    Points::FromHundredths(1000000));
  CheckPolicyNumber(violations, "policy.referral_deduction", policy.referral_deduction(),
                    Points::FromHundredths(100000));
  CheckPolicyNumber(violations, "policy.late_close_deduction", policy.late_close_deduction(),
                    Points::FromHundredths(100000));
  return violations.ToStatus();
}

std::string CurrentPeriod(absl::Time now, absl::TimeZone zone) {
  return absl::StrCat(absl::ToCivilYear(now, zone).year());
}

absl::Status ValidatePeriod(absl::string_view field, absl::string_view period) {
  FieldViolations violations;
  CheckPeriod(violations, period);
  if (violations.empty()) return absl::OkStatus();
  return InvalidField(field, "must be a year like 2025");
}

std::vector<v1::Charge> DeductionCharges(const v1::Indicator& indicator, Points d,
                                         const v1::LedgerPolicy& policy) {
  const Points lead = d.Times(PolicyNumber(policy.lead_multiplier()));
  const Points cooperating = lead.Times(PolicyNumber(policy.cooperating_ratio()));
  std::vector<v1::Charge> charges;
  v1::Charge& lead_charge = charges.emplace_back();
  lead_charge.set_unit(indicator.lead_unit());
  lead_charge.set_role(v1::CHARGE_ROLE_LEAD);
  lead_charge.set_points((-lead).ToString());
  for (const std::string& unit : indicator.cooperating_units()) {
    v1::Charge& charge = charges.emplace_back();
    charge.set_unit(unit);
    charge.set_role(v1::CHARGE_ROLE_COOPERATING);
    charge.set_points((-cooperating).ToString());
  }
  return charges;
}

std::vector<v1::Charge> AnsweringCharges(const v1::Indicator& indicator, Points d,
                                         absl::string_view answering_unit,
                                         const v1::LedgerPolicy& policy) {
  if (answering_unit.empty() || answering_unit == indicator.lead_unit()) {
    return DeductionCharges(indicator, d, policy);
  }
  std::vector<v1::Charge> charges(1);
  charges[0].set_unit(std::string(answering_unit));
  charges[0].set_role(v1::CHARGE_ROLE_ACCOUNTABLE);
  charges[0].set_points((-d.Times(PolicyNumber(policy.lead_multiplier()))).ToString());
  return charges;
}

v1::LedgerEntry RuleDeduction(const v1::Indicator& indicator, Points d, absl::string_view period,
                              v1::LedgerSource source, absl::string_view reason,
                              const LedgerContext& context, absl::string_view answering_unit) {
  v1::LedgerEntry entry = Stamped(v1::LEDGER_ENTRY_KIND_DEDUCTION, context);
  entry.set_indicator(indicator.name());
  entry.set_period(std::string(period));
  entry.set_county_points(d.ToString());
  for (v1::Charge& charge : AnsweringCharges(indicator, d, answering_unit, *context.policy)) {
    *entry.add_charges() = std::move(charge);
  }
  entry.set_reason(std::string(reason));
  entry.set_source(source);
  return entry;
}

absl::StatusOr<v1::LedgerEntry> NewDeduction(const v1::CreateDeductionRequest& request,
                                             const LedgerContext& context) {
  FieldViolations violations;
  std::string period;
  std::optional<v1::Indicator> indicator = CheckOfficeRequest(violations, request, context, period);
  absl::StatusOr<Points> d = Points::Parse(request.points(), "points");
  if (!d.ok()) {
    violations.Add("points", std::string(d.status().message()));
  } else if (*d <= Points()) {
    violations.Add("points", "must be more than 0");
  } else if (indicator && *d > Points::Parse(indicator->points(), "points").value_or(Points())) {
    violations.Add("points", absl::StrCat("is more than the ", indicator->points(), " points ",
                                          indicator->name(), " is worth"));
  }
  RETURN_IF_ERROR(violations.ToStatus());
  v1::LedgerEntry entry =
      RuleDeduction(*indicator, *d, period, v1::LEDGER_SOURCE_MANUAL, request.reason(), context);
  entry.set_source_ticket(request.source_ticket());
  *entry.mutable_evidence() = request.evidence();
  return entry;
}

absl::StatusOr<v1::LedgerEntry> NewVetoFailure(const v1::FailVetoRequest& request,
                                               const LedgerContext& context) {
  FieldViolations violations;
  std::string period;
  std::optional<v1::Indicator> indicator = CheckOfficeRequest(violations, request, context, period);
  if (request.evidence().empty()) violations.Add("evidence", "needs at least one reference");
  RETURN_IF_ERROR(violations.ToStatus());
  if (!indicator->veto()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_A_VETO_INDICATOR",
                           absl::StrCat(indicator->name(), " is not a one-vote-veto indicator"));
  }
  v1::LedgerEntry entry = Stamped(v1::LEDGER_ENTRY_KIND_VETO_FAILURE, context);
  entry.set_indicator(indicator->name());
  entry.set_period(period);
  auto fail = [&](const std::string& unit, v1::ChargeRole role) {
    v1::Charge& charge = *entry.add_charges();
    charge.set_unit(unit);
    charge.set_role(role);
    charge.set_points("0");
    charge.set_veto_failed(true);
  };
  fail(indicator->lead_unit(), v1::CHARGE_ROLE_LEAD);
  for (const std::string& unit : indicator->cooperating_units()) {
    fail(unit, v1::CHARGE_ROLE_COOPERATING);
  }
  entry.set_reason(request.reason());
  entry.set_source(v1::LEDGER_SOURCE_MANUAL);
  entry.set_source_ticket(request.source_ticket());
  *entry.mutable_evidence() = request.evidence();
  return entry;
}

absl::StatusOr<v1::LedgerEntry> NewReversal(const v1::LedgerEntry& original,
                                            absl::string_view reversed_by,
                                            const v1::ReverseLedgerEntryRequest& request,
                                            const LedgerContext& context) {
  FieldViolations violations;
  CheckText(violations, "reason", request.reason(), kRequiredNote);
  CheckText(violations, "request_id", request.request_id(), kRequestId);
  RETURN_IF_ERROR(violations.ToStatus());
  if (original.kind() == v1::LEDGER_ENTRY_KIND_REVERSAL) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "REVERSAL_NOT_REVERSIBLE",
        absl::StrCat(original.name(), " is a reversal; make a new entry instead"));
  }
  if (!reversed_by.empty()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "ALREADY_REVERSED",
                           absl::StrCat(original.name(), " was reversed by ", reversed_by),
                           {{"reversed_by", std::string(reversed_by)}});
  }
  v1::LedgerEntry entry = Stamped(v1::LEDGER_ENTRY_KIND_REVERSAL, context);
  entry.set_indicator(original.indicator());
  entry.set_period(original.period());
  if (!original.county_points().empty()) {
    entry.set_county_points(
        (-Points::Parse(original.county_points(), "").value_or(Points())).ToString());
  }
  for (const v1::Charge& charge : original.charges()) {
    v1::Charge& undone = *entry.add_charges();
    undone.set_unit(charge.unit());
    undone.set_role(charge.role());
    undone.set_points((-Points::Parse(charge.points(), "").value_or(Points())).ToString());
    undone.set_veto_cleared(charge.veto_failed());
  }
  entry.set_reason(request.reason());
  entry.set_source(v1::LEDGER_SOURCE_MANUAL);
  entry.set_source_ticket(original.source_ticket());
  entry.set_reverses(original.name());
  // The charges are the original's, whatever the policy is now.
  entry.set_policy_version(original.policy_version());
  entry.set_lead_multiplier(original.lead_multiplier());
  entry.set_cooperating_ratio(original.cooperating_ratio());
  return entry;
}

absl::StatusOr<uint64_t> ParseLedgerEntryName(absl::string_view name, absl::string_view field) {
  return ParseNumberedName(name, kLedgerEntriesPrefix, field);
}

bool LedgerQuery::Matches(const v1::LedgerEntry& entry) const {
  if (!period.empty() && entry.period() != period) return false;
  if (!indicator.empty() && entry.indicator() != indicator) return false;
  if (!unit.empty() && std::none_of(entry.charges().begin(), entry.charges().end(),
                                    [&](const v1::Charge& c) { return c.unit() == unit; })) {
    return false;
  }
  return true;
}

std::string LedgerQuery::Canonical() const {
  return absl::StrCat("period=", period, "\nindicator=", indicator, "\nunit=", unit);
}

absl::StatusOr<LedgerQuery> ParseLedgerQuery(absl::string_view filter) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  LedgerQuery query;
  for (const auto& [field, value] : *terms) {
    bool ok = true;
    if (field == "period") {
      FieldViolations violations;
      CheckPeriod(violations, value);
      ok = violations.empty();
      query.period = value;
    } else if (field == "indicator") {
      ok = IsValidName(value, kIndicatorsPrefix);
      query.indicator = value;
    } else if (field == "unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.unit = value;
    } else {
      return InvalidField("filter",
                          absl::StrCat("has no field ", field, "; use period, indicator or unit"));
    }
    if (!ok)
      return InvalidField("filter", absl::StrCat("has a bad value for ", field, ": ", value));
  }
  return query;
}

std::string LedgerEntryName(uint64_t id) { return absl::StrCat(kLedgerEntriesPrefix, id); }

}  // namespace duban
