// What the performance and report services share: a ledger context for a
// caller, and the entries and base of a scoring period.
#ifndef DUBAN_SERVER_SERVICES_SCORES_H_
#define DUBAN_SERVER_SERVICES_SCORES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/ledger.h"
#include "duban/v1/performance.pb.h"
#include "server/runtime/backend.h"

namespace duban {

// A LedgerContext with the policy snapshot it points into.
struct LedgerSession {
  std::shared_ptr<const v1::LedgerPolicy> policy;
  LedgerContext context;
};
LedgerSession OpenLedgerSession(const Backend& backend, const Caller& caller);

struct ScoringPeriod {
  std::string period;
  Points base;
  std::vector<v1::LedgerEntry> entries;
};
// The entries of `period` (default: the current year) and the base points.
// INVALID_ARGUMENT naming period when it is not a year.
absl::StatusOr<ScoringPeriod> LoadScoringPeriod(const Backend& backend, const Caller& caller,
                                                absl::string_view period);

// The scoreboard of `period` over the county's departments and townships.
absl::StatusOr<v1::Scoreboard> CountyScoreboard(const Backend& backend, const Caller& caller,
                                                absl::string_view period);

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_SCORES_H_
