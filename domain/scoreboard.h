// The scoreboard of a period: every unit's base points, what the ledger
// charged it, and whether a veto indicator failed it; and the explanation of
// one unit's score, charge by charge.
//
//   v1::Scoreboard board = BuildScoreboard("2025", base, assessed_units, entries);
//   v1::ScoreExplanation why = ExplainScore("units/nongye", "2025", base, entries, indicators);
#ifndef DUBAN_DOMAIN_SCOREBOARD_H_
#define DUBAN_DOMAIN_SCOREBOARD_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "domain/indicator_catalog.h"
#include "domain/points.h"
#include "domain/unit_directory.h"
#include "duban/v1/directory.pb.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/performance_service.pb.h"

namespace duban {

// Rows for `units` and for every other unit the entries charge. A unit
// fails on a veto while its veto failures on an indicator outnumber their
// reversals. Failed units first, then by score (highest first), then name.
v1::Scoreboard BuildScoreboard(absl::string_view period, Points base,
                               const std::vector<v1::Unit>& units,
                               const std::vector<v1::LedgerEntry>& entries);

// The row of `unit` and each charge the entries make to it, oldest first.
v1::ScoreExplanation ExplainScore(absl::string_view unit, absl::string_view period, Points base,
                                  const std::vector<v1::LedgerEntry>& entries,
                                  const IndicatorCatalog& indicators);

// ExplainScore's unit: a unit of `units` (ValidateKnownUnit naming "unit").
[[nodiscard]] absl::Status Validate(const v1::ExplainScoreRequest& request,
                                    const UnitDirectory& units);

}  // namespace duban

#endif  // DUBAN_DOMAIN_SCOREBOARD_H_
