// Key encodings of the `referrals` column family, and staging a referral
// with its index entries in a write.
//
//   'r' | id (8 BE)                        → record(Referral)
//   'a' | ~id (8 BE)                       → ""   all, newest first
//   'o' | ~id                              → ""   undecided
//   'u' | unit name | 0x00 | ~id           → ""   by the unit that answers
//   'p' | principal name | 0x00 | ~id      → ""   by responsible principal
//   't' | ticket id (8 BE) | ~id           → ""   by ticket
//
// ~id (all bits flipped) makes every index list the newest referral first.
#ifndef DUBAN_STORAGE_REFERRAL_KEYS_H_
#define DUBAN_STORAGE_REFERRAL_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "domain/referrals.h"
#include "duban/v1/accountability.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/audited_batch.h"

namespace duban::storage {

std::string ReferralKey(uint64_t id);
// The index entries of a referral (all of them, whatever its state).
std::vector<std::string> ReferralIndexKeys(uint64_t id, const v1::Referral& referral);
// The prefix of the index a query scans: the most selective term, else all.
std::string ReferralIndexPrefix(const ReferralQuery& query);
// The referral id of an index key.
uint64_t ReferralIdOfIndexKey(absl::string_view key);

// Adds `referral` (replacing `before` when it is an update) to `batch`.
void StageReferral(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family,
                   const v1::Referral* before, const v1::Referral& referral);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_REFERRAL_KEYS_H_
