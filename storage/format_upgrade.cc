#include "storage/format_upgrade.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "storage/big_endian.h"
#include "storage/database.h"
#include "storage/record.h"
#include "storage/ticket_index.h"

namespace duban::storage {
namespace {

// Tickets re-indexed per (unsynced) write; the last write is synced.
constexpr int kTicketsPerBatch = 1000;

}  // namespace

bool CanUpgradeFrom(absl::string_view version) { return version == "2" || version == "3"; }

absl::Status UpgradeFormat(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* meta,
                           rocksdb::ColumnFamilyHandle* tickets,
                           rocksdb::ColumnFamilyHandle* index, absl::string_view version_key,
                           absl::string_view version, absl::string_view current) {
  rocksdb::WriteOptions unsynced;
  rocksdb::WriteBatch batch;
  // 3 → 4 only adds the `auth` family, which opening created empty.
  if (version == "3") {
    RETURN_IF_ERROR(FromRocks(batch.Put(meta, std::string(version_key), std::string(current)),
                              "store the format version"));
    rocksdb::WriteOptions synced;
    synced.sync = true;
    return FromRocks(db->Write(synced, &batch),
                     absl::StrCat("finish the upgrade to format ", current));
  }
  // Every index key starts with a printable tag byte.
  RETURN_IF_ERROR(FromRocks(batch.DeleteRange(index, std::string(1, '\0'), std::string(1, '\x7f')),
                            "clear the ticket index"));
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), tickets));
  int in_batch = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 8) return absl::DataLossError("malformed ticket key");
    v1::Ticket ticket;
    RETURN_IF_ERROR(DecodeRecord(absl::string_view(it->value().data(), it->value().size()), ticket));
    const uint64_t id = ReadBigEndian64(absl::string_view(it->key().data(), 8));
    for (const IndexEntry& entry : TicketIndexEntries(id, ticket)) {
      RETURN_IF_ERROR(FromRocks(batch.Put(index, entry.key, entry.value), "re-index"));
    }
    if (++in_batch == kTicketsPerBatch) {
      RETURN_IF_ERROR(FromRocks(db->Write(unsynced, &batch), "write the rebuilt index"));
      batch.Clear();
      in_batch = 0;
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "read the tickets"));
  RETURN_IF_ERROR(FromRocks(batch.Put(meta, std::string(version_key), std::string(current)),
                            "store the format version"));
  rocksdb::WriteOptions synced;
  synced.sync = true;
  return FromRocks(db->Write(synced, &batch), absl::StrCat("finish the upgrade to format ", current));
}

}  // namespace duban::storage
