#include "storage/ledger_store.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "storage/big_endian.h"
#include "storage/ledger_keys.h"
#include "storage/paged_scan.h"
#include "storage/prefix_scan.h"
#include "storage/record.h"

namespace duban::storage {

absl::StatusOr<std::unique_ptr<LedgerStore>> LedgerStore::Open(Database* database) {
  PrefixScan scan(*database, Family::kLedger, "e");
  scan.SeekToLast();
  RETURN_IF_ERROR(scan.status());
  const uint64_t next_id = scan.Valid() ? LedgerIdOfKey(scan.key()) + 1 : 1;
  return std::unique_ptr<LedgerStore>(new LedgerStore(database, next_id));
}

absl::StatusOr<v1::LedgerEntry> LedgerStore::Get(uint64_t id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(
      rocksdb::ReadOptions(), database_->family(Family::kLedger), LedgerEntryKey(id), &value);
  if (status.IsNotFound()) {
    return ErrorWithReason(absl::StatusCode::kNotFound, "LEDGER_ENTRY_NOT_FOUND",
                           absl::StrCat("no ledger entry ", LedgerEntryName(id)));
  }
  RETURN_IF_ERROR(FromRocks(status, "read ledger entry"));
  v1::LedgerEntry entry;
  RETURN_IF_ERROR(DecodeRecord(value, entry));
  return entry;
}

absl::StatusOr<std::string> LedgerStore::ReversedBy(uint64_t id) const {
  std::string value;
  rocksdb::Status status = database_->db()->Get(
      rocksdb::ReadOptions(), database_->family(Family::kLedger), ReversedByKey(id), &value);
  if (status.IsNotFound()) return std::string();
  RETURN_IF_ERROR(FromRocks(status, "read reversal"));
  if (value.size() != 8) return absl::DataLossError("malformed reversal marker");
  return LedgerEntryName(ReadBigEndian64(value));
}

absl::StatusOr<LedgerPage> LedgerStore::List(const LedgerQuery& query, int page_size,
                                             absl::string_view page_token) const {
  const std::string prefix = LedgerIndexPrefix(query);
  const std::string scope = absl::StrCat("ledger\n", prefix, "\n", query.Canonical());
  PrefixScan scan(*database_, Family::kLedger, prefix);
  LedgerPage page;
  ASSIGN_OR_RETURN(
      page.next_page_token,
      ScanPage(scan, {.scope = scope, .page_size = page_size, .page_token = page_token},
               [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
                 ASSIGN_OR_RETURN(v1::LedgerEntry entry, Get(LedgerIdOfKey(key)));
                 if (!query.Matches(entry)) return false;
                 page.entries.push_back(std::move(entry));
                 return true;
               }));
  return page;
}

absl::StatusOr<std::vector<v1::LedgerEntry>> LedgerStore::EntriesOf(
    absl::string_view period) const {
  LedgerQuery query;
  query.period = std::string(period);
  std::vector<v1::LedgerEntry> entries;
  std::string token;
  do {
    ASSIGN_OR_RETURN(LedgerPage page, List(query, 1000, token));
    for (v1::LedgerEntry& entry : page.entries) entries.push_back(std::move(entry));
    token = page.next_page_token;
  } while (!token.empty());
  return entries;
}

absl::StatusOr<v1::LedgerEntry> LedgerStore::Put(const RequestKey& request, absl::Time now,
                                                 EntryWriter write) {
  MutexLock lock(&write_mutex_);
  ASSIGN_OR_RETURN(
      std::string reply,
      requests_.Run(request, now, [&](AuditedBatch& batch) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(v1::LedgerEntry entry, write());
        StageLedgerEntry(batch, database_->family(Family::kLedger), entry);
        return entry.SerializeAsString();
      }));
  v1::LedgerEntry entry;
  if (!entry.ParseFromString(reply)) return absl::DataLossError("stored reply does not parse");
  return entry;
}

}  // namespace duban::storage
