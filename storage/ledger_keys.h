// Key encodings of the `ledger` column family, and staging an entry with its
// index entries in a write (ledger entries are made both by the ledger store
// and, for rules, inside a ticket's write).
//
//   'e' | id (8 BE)                               → record(LedgerEntry)
//   'p' | period | 0x00 | id (8 BE)               → ""   by period, oldest first
//   'i' | indicator | 0x00 | id (8 BE)            → ""   by indicator
//   'u' | unit | 0x00 | id (8 BE)                 → ""   by charged unit
//   'r' | reversed id (8 BE)                      → reversal id (8 BE)
#ifndef DUBAN_STORAGE_LEDGER_KEYS_H_
#define DUBAN_STORAGE_LEDGER_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "domain/ledger.h"
#include "duban/v1/performance.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/audited_batch.h"

namespace duban::storage {

std::string LedgerEntryKey(uint64_t id);
std::string ReversedByKey(uint64_t id);
// The prefix of the index a query scans: the most selective term, else all.
std::string LedgerIndexPrefix(const LedgerQuery& query);
// The entry id of an index or entry key.
uint64_t LedgerIdOfKey(absl::string_view key);

// Adds `entry` (new; entries are never rewritten) and its index entries to
// `batch`; for a reversal, also marks the entry it reverses.
void StageLedgerEntry(AuditedBatch& batch, rocksdb::ColumnFamilyHandle* family,
                      const v1::LedgerEntry& entry);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_LEDGER_KEYS_H_
