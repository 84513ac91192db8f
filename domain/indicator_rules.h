// What makes an indicator valid, and what an update may change.
//
//   RETURN_IF_ERROR(ValidateIndicator(indicator, units));
//   v1::Indicator stored = NewIndicator(code, indicator, now);
#ifndef DUBAN_DOMAIN_INDICATOR_RULES_H_
#define DUBAN_DOMAIN_INDICATOR_RULES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/unit_directory.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/performance_service.pb.h"

namespace duban {

// A display name; points a decimal from 0 to 1000; a lead unit that exists;
// cooperating units that exist, distinct, not the lead. INVALID_ARGUMENT
// naming each bad field under "indicator.".
[[nodiscard]] absl::Status ValidateIndicator(const v1::Indicator& indicator,
                                             const UnitDirectory& units);

// Which indicators a ListIndicators call asks for.
struct IndicatorQuery {
  std::optional<bool> veto;
  std::string unit;  // lead or cooperating

  bool Matches(const v1::Indicator& indicator) const;
  std::string Canonical() const;
};

// Terms joined by AND: veto=true|false, unit=units/ID.
absl::StatusOr<IndicatorQuery> ParseIndicatorQuery(absl::string_view filter);

v1::Indicator NewIndicator(absl::string_view code, const v1::Indicator& indicator,
                           absl::Time now);
v1::Indicator UpdatedIndicator(const v1::Indicator& current, const v1::Indicator& update,
                               absl::Time now);

// CreateIndicator: a valid indicator_id (INVALID_ARGUMENT naming it alone),
// then ValidateIndicator. UpdateIndicator: an indicator.name (likewise),
// then ValidateIndicator. GetIndicator: an indicator name in `name`.
[[nodiscard]] absl::Status Validate(const v1::CreateIndicatorRequest& request,
                                    const UnitDirectory& units);
[[nodiscard]] absl::Status Validate(const v1::UpdateIndicatorRequest& request,
                                    const UnitDirectory& units);
[[nodiscard]] absl::Status Validate(const v1::GetIndicatorRequest& request);

}  // namespace duban

#endif  // DUBAN_DOMAIN_INDICATOR_RULES_H_
