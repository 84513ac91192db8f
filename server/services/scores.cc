#include "server/services/scores.h"

#include "base/status_macros.h"
#include "domain/scoreboard.h"

namespace duban {

LedgerSession OpenLedgerSession(const Backend& backend, const Caller& caller) {
  LedgerSession session;
  session.policy = backend.settings->ledger_policy();
  session.context.caller = caller;
  session.context.now = backend.Now();
  session.context.zone = backend.settings->calendar()->zone();
  session.context.policy = session.policy.get();
  session.context.indicators = backend.directory;
  return session;
}

absl::StatusOr<ScoringPeriod> LoadScoringPeriod(const Backend& backend, const Caller& caller,
                                                absl::string_view period) {
  const LedgerSession session = OpenLedgerSession(backend, caller);
  ScoringPeriod scoring;
  scoring.period = period.empty() ? CurrentPeriod(session.context.now, session.context.zone)
                                  : std::string(period);
  RETURN_IF_ERROR(ValidatePeriod("period", scoring.period));
  ASSIGN_OR_RETURN(scoring.base, Points::Parse(session.policy->base_points(), "base_points"));
  ASSIGN_OR_RETURN(scoring.entries, backend.ledger->EntriesOf(scoring.period));
  return scoring;
}

absl::StatusOr<v1::Scoreboard> CountyScoreboard(const Backend& backend, const Caller& caller,
                                                absl::string_view period) {
  ASSIGN_OR_RETURN(ScoringPeriod scoring, LoadScoringPeriod(backend, caller, period));
  std::vector<v1::Unit> units = backend.directory->UnitsOfKind(v1::UNIT_KIND_DEPARTMENT);
  for (v1::Unit& township : backend.directory->UnitsOfKind(v1::UNIT_KIND_TOWNSHIP)) {
    units.push_back(std::move(township));
  }
  v1::Scoreboard board = BuildScoreboard(scoring.period, scoring.base, units, scoring.entries);
  for (v1::ScoreRow& row : *board.mutable_rows()) {
    if (!row.display_name().empty()) continue;
    if (std::optional<v1::Unit> unit = backend.directory->FindUnit(row.unit())) {
      row.set_display_name(unit->display_name());
    }
  }
  return board;
}

}  // namespace duban
