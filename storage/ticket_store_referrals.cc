// TicketStore: reading referrals. They are written only with their ticket
// (Create, Update), so a referral and its ticket never disagree.
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "rocksdb/iterator.h"
#include "storage/paged_scan.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"
#include "storage/referral_keys.h"
#include "storage/ticket_store.h"

namespace duban::storage {

absl::StatusOr<v1::Referral> TicketStore::GetReferral(uint64_t id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(
      rocksdb::ReadOptions(), database_->family(Family::kReferrals), ReferralKey(id), &value);
  if (status.IsNotFound()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "REFERRAL_NOT_FOUND",
                           absl::StrCat("no referral ", ReferralName(id)),
                           {{"referral", ReferralName(id)}});
  }
  RETURN_IF_ERROR(FromRocks(status, "read referral"));
  v1::Referral referral;
  RETURN_IF_ERROR(DecodeRecord(value, referral));
  return referral;
}

absl::StatusOr<ReferralPage> TicketStore::ListReferrals(const ReferralQuery& query, int page_size,
                                                        absl::string_view page_token) const {
  const std::string prefix = ReferralIndexPrefix(query);
  const std::string scope = absl::StrCat("referrals\n", prefix, "\n", query.Canonical());
  PrefixScan scan(*database_, Family::kReferrals, prefix);
  ReferralPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan, {.scope = scope, .page_size = page_size, .page_token = page_token},
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 ASSIGN_OR_RETURN(v1::Referral referral, GetReferral(ReferralIdOfIndexKey(key)));
                 if (!query.Matches(referral)) return false;
                 page.referrals.push_back(std::move(referral));
                 return true;
               }));
  return page;
}

}  // namespace duban::storage
