#include "domain/indicator_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/filter_terms.h"
#include "domain/loop_steps.h"
#include "domain/points.h"
#include "domain/resource_names.h"
#include "domain/text_rules.h"

namespace duban {

absl::Status ValidateIndicator(const v1::Indicator& indicator, const UnitDirectory& units) {
  FieldViolations violations;
  CheckText(violations, "indicator.display_name", indicator.display_name(), kDisplayName);
  CheckText(violations, "indicator.description", indicator.description(), kLongText);
  absl::StatusOr<Points> points = Points::Parse(indicator.points(), "indicator.points");
  if (!points.ok()) {
    violations.Add("indicator.points", std::string(points.status().message()));
  } else if (*points < Points() || *points > Points::FromHundredths(100000)) {
    violations.Add("indicator.points", "must be between 0 and 1000");
  }
  CheckUnitRef(violations, "indicator.lead_unit", indicator.lead_unit(), units);
  std::set<std::string> seen;
  for (int i = 0; i < indicator.cooperating_units_size(); ++i) {
    const std::string& unit = indicator.cooperating_units(i);
    const std::string field = absl::StrCat("indicator.cooperating_units[", i, "]");
    if (unit == indicator.lead_unit()) {
      violations.Add(field, absl::StrCat(unit, " is the lead unit"));
    } else if (!seen.insert(unit).second) {
      violations.Add(field, absl::StrCat(unit, " is listed twice"));
    } else {
      CheckUnitRef(violations, field, unit, units);
    }
  }
  return violations.ToStatus();
}

bool IndicatorQuery::Matches(const v1::Indicator& indicator) const {
  if (veto && indicator.veto() != *veto) return false;
  if (!unit.empty() && indicator.lead_unit() != unit &&
      std::find(indicator.cooperating_units().begin(), indicator.cooperating_units().end(), unit) ==
          indicator.cooperating_units().end()) {
    return false;
  }
  return true;
}

std::string IndicatorQuery::Canonical() const {
  return absl::StrCat("veto=", veto ? (*veto ? "true" : "false") : "any", "\nunit=", unit);
}

absl::StatusOr<IndicatorQuery> ParseIndicatorQuery(absl::string_view filter) {
  absl::StatusOr<FilterTerms> terms = ParseFilterTerms(filter);
  if (!terms.ok()) return terms.status();
  IndicatorQuery query;
  for (const auto& [field, value] : *terms) {
    bool ok = true;
    if (field == "veto") {
      ok = value == "true" || value == "false";
      query.veto = value == "true";
    } else if (field == "unit") {
      ok = IsValidName(value, kUnitsPrefix);
      query.unit = value;
    } else {
      return InvalidField("filter", absl::StrCat("has no field ", field, "; use veto or unit"));
    }
    if (!ok)
      return InvalidField("filter", absl::StrCat("has a bad value for ", field, ": ", value));
  }
  return query;
}

v1::Indicator NewIndicator(absl::string_view code, const v1::Indicator& indicator, absl::Time now) {
  v1::Indicator stored = indicator;
  stored.set_name(absl::StrCat(kIndicatorsPrefix, code));
  stored.set_points(Points::Parse(indicator.points(), "points").value_or(Points()).ToString());
  *stored.mutable_create_time() = ToTimestamp(now);
  *stored.mutable_update_time() = ToTimestamp(now);
  stored.set_etag("1");
  return stored;
}

v1::Indicator UpdatedIndicator(const v1::Indicator& current, const v1::Indicator& update,
                               absl::Time now) {
  v1::Indicator stored = NewIndicator(IdOf(current.name(), kIndicatorsPrefix), update, now);
  *stored.mutable_create_time() = current.create_time();
  int64_t revision = 0;
  (void)absl::SimpleAtoi(current.etag(), &revision);
  stored.set_etag(absl::StrCat(revision + 1));
  return stored;
}

absl::Status Validate(const v1::CreateIndicatorRequest& request, const UnitDirectory& units) {
  RETURN_IF_ERROR(ValidateId("indicator_id", request.indicator_id()));
  return ValidateIndicator(request.indicator(), units);
}

absl::Status Validate(const v1::UpdateIndicatorRequest& request, const UnitDirectory& units) {
  RETURN_IF_ERROR(ValidateIndicatorName("indicator.name", request.indicator().name()));
  return ValidateIndicator(request.indicator(), units);
}

absl::Status Validate(const v1::GetIndicatorRequest& request) {
  return ValidateIndicatorName("name", request.name());
}

}  // namespace duban
