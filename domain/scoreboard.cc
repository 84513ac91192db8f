#include "domain/scoreboard.h"

#include <algorithm>
#include <map>

#include "domain/directory_rules.h"

namespace duban {
namespace {

struct Tally {
  std::string display_name;
  Points charged;
  int entries = 0;
  // Veto failures minus their reversals, per indicator.
  std::map<std::string, int> veto;
};

Points ChargePoints(const v1::Charge& charge) {
  return Points::Parse(charge.points(), "points").value_or(Points());
}

void Count(Tally& tally, const v1::LedgerEntry& entry, const v1::Charge& charge) {
  tally.charged += ChargePoints(charge);
  ++tally.entries;
  if (charge.veto_failed()) ++tally.veto[entry.indicator()];
  if (charge.veto_cleared()) --tally.veto[entry.indicator()];
}

v1::ScoreRow Row(const std::string& unit, const Tally& tally, Points base) {
  v1::ScoreRow row;
  row.set_unit(unit);
  row.set_display_name(tally.display_name);
  row.set_base_points(base.ToString());
  row.set_charged_points(tally.charged.ToString());
  row.set_score((base + tally.charged).ToString());
  row.set_entries(tally.entries);
  for (const auto& [indicator, failures] : tally.veto) {
    if (failures > 0) row.add_failed_indicators(indicator);
  }
  row.set_veto_failed(row.failed_indicators_size() > 0);
  return row;
}

}  // namespace

v1::Scoreboard BuildScoreboard(absl::string_view period, Points base,
                               const std::vector<v1::Unit>& units,
                               const std::vector<v1::LedgerEntry>& entries) {
  std::map<std::string, Tally> tallies;
  for (const v1::Unit& unit : units) tallies[unit.name()].display_name = unit.display_name();
  for (const v1::LedgerEntry& entry : entries) {
    if (entry.period() != period) continue;
    for (const v1::Charge& charge : entry.charges()) Count(tallies[charge.unit()], entry, charge);
  }
  v1::Scoreboard board;
  board.set_period(std::string(period));
  std::vector<v1::ScoreRow> rows;
  for (const auto& [unit, tally] : tallies) rows.push_back(Row(unit, tally, base));
  std::stable_sort(rows.begin(), rows.end(), [](const v1::ScoreRow& a, const v1::ScoreRow& b) {
    if (a.veto_failed() != b.veto_failed()) return a.veto_failed();
    const Points score_a = Points::Parse(a.score(), "").value_or(Points());
    const Points score_b = Points::Parse(b.score(), "").value_or(Points());
    return score_a > score_b;
  });
  for (v1::ScoreRow& row : rows) *board.add_rows() = std::move(row);
  return board;
}

v1::ScoreExplanation ExplainScore(absl::string_view unit, absl::string_view period, Points base,
                                  const std::vector<v1::LedgerEntry>& entries,
                                  const IndicatorCatalog& indicators) {
  v1::ScoreExplanation explanation;
  explanation.set_period(std::string(period));
  Tally tally;
  for (const v1::LedgerEntry& entry : entries) {
    if (entry.period() != period) continue;
    for (const v1::Charge& charge : entry.charges()) {
      if (charge.unit() != unit) continue;
      Count(tally, entry, charge);
      v1::ExplainedCharge& explained = *explanation.add_charges();
      explained.set_entry(entry.name());
      explained.set_kind(entry.kind());
      explained.set_indicator(entry.indicator());
      if (std::optional<v1::Indicator> indicator = indicators.FindIndicator(entry.indicator())) {
        explained.set_indicator_display_name(indicator->display_name());
      }
      explained.set_county_points(entry.county_points());
      explained.set_role(charge.role());
      explained.set_points(charge.points());
      explained.set_veto_failed(charge.veto_failed());
      explained.set_policy_version(entry.policy_version());
      explained.set_lead_multiplier(entry.lead_multiplier());
      explained.set_cooperating_ratio(entry.cooperating_ratio());
      explained.set_reason(entry.reason());
      explained.set_source(entry.source());
      explained.set_source_ticket(entry.source_ticket());
      *explained.mutable_source_events() = entry.source_events();
      explained.set_reverses(entry.reverses());
      *explained.mutable_create_time() = entry.create_time();
    }
  }
  *explanation.mutable_row() = Row(std::string(unit), tally, base);
  return explanation;
}

absl::Status Validate(const v1::ExplainScoreRequest& request, const UnitDirectory& units) {
  return ValidateKnownUnit("unit", request.unit(), units);
}

}  // namespace duban
