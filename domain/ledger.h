// The performance ledger (目标绩效): the charging rule, the entries the
// performance office makes, and the policy behind them.
//
//   ASSIGN_OR_RETURN(v1::LedgerEntry entry, NewDeduction(request, context));
//   // entry.charges: lead −3×D, each cooperating unit −0.7×(3×D)
//
// Entries are never edited: a correction is a reversal (NewReversal).
#ifndef DUBAN_DOMAIN_LEDGER_H_
#define DUBAN_DOMAIN_LEDGER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/indicator_catalog.h"
#include "domain/points.h"
#include "duban/v1/performance.pb.h"
#include "duban/v1/performance_service.pb.h"

namespace duban {

inline constexpr absl::string_view kLedgerEntriesPrefix = "ledgerEntries/";

// What making a ledger entry needs besides the request.
struct LedgerContext {
  Caller caller;
  absl::Time now;
  // The county's time zone: the default period is the current year there.
  absl::TimeZone zone;
  const v1::LedgerPolicy* policy = nullptr;
  const IndicatorCatalog* indicators = nullptr;
  // The name of the entry being made, `ledgerEntries/{id}` (rules name
  // their entries; the office's are named once valid, by the caller).
  std::string name;
};

// Lead ×3, cooperating 0.7 of the lead's charge, base 100; the referral rule
// on (1 point), the late-close rule off (0.5 points).
v1::LedgerPolicy DefaultLedgerPolicy();
// Multiplier 0–100, ratio 0–10, base 0–10000, rule points 0–1000, each a
// decimal with at most two decimals. INVALID_ARGUMENT naming bad fields
// under "policy.".
[[nodiscard]] absl::Status ValidateLedgerPolicy(const v1::LedgerPolicy& policy);

// The year of `now` in `zone`: "2025".
std::string CurrentPeriod(absl::Time now, absl::TimeZone zone);
// INVALID_ARGUMENT naming `field` unless `period` is a year 2000–2200.
[[nodiscard]] absl::Status ValidatePeriod(absl::string_view field, absl::string_view period);

// The charges of deducting `d` from the county on `indicator`: the lead
// unit −multiplier×d, each cooperating unit −ratio×(multiplier×d), each
// rounded to a hundredth.
std::vector<v1::Charge> DeductionCharges(const v1::Indicator& indicator, Points d,
                                         const v1::LedgerPolicy& policy);

// The charges of deducting `d` on `indicator` for a slip `answering_unit`
// answers for: DeductionCharges when it is the indicator's lead unit (or
// empty); otherwise that unit alone, −multiplier×d, as ACCOUNTABLE — the
// indicator's units did not let the deadline slip.
std::vector<v1::Charge> AnsweringCharges(const v1::Indicator& indicator, Points d,
                                         absl::string_view answering_unit,
                                         const v1::LedgerPolicy& policy);

// A deduction entry (source set by the caller), charged as AnsweringCharges.
v1::LedgerEntry RuleDeduction(const v1::Indicator& indicator, Points d, absl::string_view period,
                              v1::LedgerSource source, absl::string_view reason,
                              const LedgerContext& context,
                              absl::string_view answering_unit = {});

// The performance office's entries. INVALID_ARGUMENT naming bad fields;
// FAILED_PRECONDITION for a veto on a non-veto indicator.
absl::StatusOr<v1::LedgerEntry> NewDeduction(const v1::CreateDeductionRequest& request,
                                             const LedgerContext& context);
absl::StatusOr<v1::LedgerEntry> NewVetoFailure(const v1::FailVetoRequest& request,
                                               const LedgerContext& context);
// Undoes `original`; FAILED_PRECONDITION if it is a reversal itself or was
// reversed already (`reversed_by` non-empty).
absl::StatusOr<v1::LedgerEntry> NewReversal(const v1::LedgerEntry& original,
                                            absl::string_view reversed_by,
                                            const v1::ReverseLedgerEntryRequest& request,
                                            const LedgerContext& context);

// Which entries a ListLedgerEntries call asks for.
struct LedgerQuery {
  std::string period;
  std::string indicator;
  std::string unit;  // charged

  bool Matches(const v1::LedgerEntry& entry) const;
  std::string Canonical() const;
};

// Terms joined by AND: period=2025, indicator=indicators/CODE, unit=units/ID.
absl::StatusOr<LedgerQuery> ParseLedgerQuery(absl::string_view filter);

absl::StatusOr<uint64_t> ParseLedgerEntryName(absl::string_view name, absl::string_view field);
std::string LedgerEntryName(uint64_t id);

}  // namespace duban

#endif  // DUBAN_DOMAIN_LEDGER_H_
