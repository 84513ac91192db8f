// TicketStore: what accountability records and the county report read —
// the charge, answered and ended indexes (ticket_index.h) and the referral
// indexes — so that their cost follows the period and the subject, not the
// size of the store.
#include "absl/strings/match.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/referral_keys.h"
#include "storage/ticket_index.h"
#include "storage/ticket_store.h"

namespace duban::storage {
namespace {

// Referral ids are handed out as they are made, so the newest-first
// indexes are in creation order but for writes that overlap: a referral
// made this long before the period's start may still be listed after one
// made inside it. Generous, as a training county's clock runs fast: a day
// of its time may be a second of real time.
constexpr absl::Duration kReferralOrderSlack = absl::Hours(24);

// Decodes the value of every key of `range` into a T, in key order.
template <typename T>
absl::Status ScanRange(const Database& database, const KeyRange& range, std::vector<T>& out) {
  PrefixScan scan(database, Family::kTicketIndex, range.prefix);
  for (scan.Seek(range.start); scan.Valid() && scan.key() < range.limit; scan.Next()) {
    RETURN_IF_ERROR(DecodeRecord(scan.value(), out.emplace_back()));
  }
  return scan.status();
}

}  // namespace

absl::StatusOr<RecordSources> TicketStore::RecordSourcesOf(absl::string_view subject,
                                                           const Period& period) const {
  RecordSources sources;
  RETURN_IF_ERROR(
      ScanRange(*database_, ChargeRange(subject, period.start, period.end), sources.charges));
  RETURN_IF_ERROR(
      ScanRange(*database_, AnsweredRange(subject, period.start, period.end), sources.closed));
  ASSIGN_OR_RETURN(sources.referrals, ReferralsOf(subject, period));
  return sources;
}

absl::StatusOr<std::vector<v1::Referral>> TicketStore::ReferralsOf(absl::string_view subject,
                                                                  const Period& period) const {
  ReferralQuery query;
  if (absl::StartsWith(subject, "principals/")) {
    query.principal = std::string(subject);
  } else {
    query.unit = std::string(subject);
  }
  std::vector<v1::Referral> referrals;
  PrefixScan scan(*database_, Family::kReferrals, ReferralIndexPrefix(query));
  for (scan.Seek(); scan.Valid(); scan.Next()) {
    ASSIGN_OR_RETURN(v1::Referral referral, GetReferral(ReferralIdOfIndexKey(scan.key())));
    const absl::Time made = FromTimestamp(referral.create_time());
    if (made < period.start - kReferralOrderSlack) break;
    if (period.Contains(made)) referrals.push_back(std::move(referral));
  }
  RETURN_IF_ERROR(scan.status());
  return referrals;
}

absl::Status TicketStore::ForEachTicketOf(const Period& period,
                                          absl::FunctionRef<void(const v1::Ticket&)> visit) const {
  const auto created_in_time = [&](const v1::Ticket& summary) {
    return FromTimestamp(summary.create_time()) < period.end;
  };
  for (v1::Stage stage : {v1::STAGE_DEPLOY, v1::STAGE_IMPLEMENT, v1::STAGE_INSPECT,
                          v1::STAGE_FEEDBACK, v1::STAGE_IMPROVE}) {
    PrefixScan scan(*database_, Family::kTicketIndex, StagePrefix(stage));
    for (scan.Seek(); scan.Valid(); scan.Next()) {
      v1::Ticket summary;
      RETURN_IF_ERROR(DecodeRecord(scan.value(), summary));
      if (created_in_time(summary)) visit(summary);
    }
    RETURN_IF_ERROR(scan.status());
  }
  PrefixScan scan(*database_, Family::kTicketIndex, EndedPrefix());
  for (scan.Seek(EndedStart(period.start)); scan.Valid(); scan.Next()) {
    v1::Ticket summary;
    RETURN_IF_ERROR(DecodeRecord(scan.value(), summary));
    if (created_in_time(summary)) visit(summary);
  }
  return scan.status();
}

}  // namespace duban::storage
