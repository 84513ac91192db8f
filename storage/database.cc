#include "storage/database.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/table.h"
#include "storage/data_directory.h"
#include "storage/format_upgrade.h"
#include "storage/key_ordered_batch.h"
#include "storage/request_log.h"
#include "storage/write_guard.h"

namespace duban::storage {
namespace {

// In the order of enum Family.
const char* const kFamilyNames[] = {rocksdb::kDefaultColumnFamilyName.c_str(),
                                    "tickets",
                                    "events",
                                    "ticket_index",
                                    "directory",
                                    "requests",
                                    "referrals",
                                    "log",
                                    "settings",
                                    "ledger",
                                    "draws",
                                    "auth"};

// default family: "format_version" → decimal version of the key and value
// layout described in this directory. Bump it, with a migration, whenever a
// layout changes.
constexpr char kFormatVersionKey[] = "format_version";
constexpr char kFormatVersion[] = "4";

rocksdb::Options MakeOptions(const StoreOptions& options, std::shared_ptr<WriteGuard> guard) {
  rocksdb::Options rocks;
  // After a failed write the guard refuses writes until the store is opened
  // again; RocksDB must not recover by itself into a log writer that failed
  // (write_guard.h).
  rocks.max_bgerror_resume_count = 0;
  rocks.listeners.push_back(WriteGuard::ListenerFor(std::move(guard)));
  if (options.env != nullptr) rocks.env = options.env;
  rocks.create_if_missing = true;
  rocks.create_missing_column_families = true;
  rocks.max_background_jobs = 2;
  rocks.bytes_per_sync = 1 << 20;
  // Most bytes end in the last level, where zstd keeps a ticket (its index
  // entries carry repetitive summaries) in about a fifth less disk than
  // snappy; upper levels stay snappy for cheap flushes (docs/performance.md).
  rocks.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocks.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return rocks;
}

}  // namespace

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  // Another process (or this one) holds the database's LOCK file.
  const std::string text = status.ToString();
  if (status.IsIOError() && (text.find("While lock file") != std::string::npos ||
                             text.find("lock hold by current process") != std::string::npos)) {
    return absl::UnavailableError(absl::StrCat(message, " (is another duband using it?)"));
  }
  if (status.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const StoreOptions& options) {
  rocksdb::Env* env = options.env != nullptr ? options.env : rocksdb::Env::Default();
  RETURN_IF_ERROR(PrepareDataDirectory(*env->GetFileSystem(), options.path));
  std::unique_ptr<Database> database(new Database());
  const rocksdb::Options rocks = MakeOptions(options, database->write_guard_);
  database->request_retention_filter_ = NewRequestRetentionFilter();
  database->request_retention_ = options.request_retention;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(rocks));
  }
  descriptors[static_cast<size_t>(Family::kRequests)].options.compaction_filter =
      database->request_retention_filter_.get();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(rocksdb::DBOptions(rocks), options.path, descriptors,
                                             &database->families_, &raw);
  if (!opened.ok()) return FromRocks(opened, absl::StrCat("open ", options.path));
  database->db_.reset(raw);
  ASSIGN_OR_RETURN(database->log_, AuditLog::Open(raw, database->family(Family::kLog)));
  database->requests_ = std::unique_ptr<RequestLog>(new RequestLog(database.get()));

  rocksdb::ColumnFamilyHandle* meta = database->family(Family::kDefault);
  std::string version;
  rocksdb::Status read = raw->Get(rocksdb::ReadOptions(), meta, kFormatVersionKey, &version);
  if (read.IsNotFound()) {
    AuditedBatch batch;
    batch.Put(meta, kFormatVersionKey, kFormatVersion);
    if (absl::Status written = database->Write(batch, WriteOptions{}); !written.ok()) return written;
  } else if (!read.ok()) {
    return FromRocks(read, "read format version");
  } else if (CanUpgradeFrom(version)) {
    RETURN_IF_ERROR(UpgradeFormat(raw, meta, database->family(Family::kTickets),
                                  database->family(Family::kTicketIndex), kFormatVersionKey,
                                  version, kFormatVersion));
  } else if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.path, " holds format version ", version, "; this server reads ", kFormatVersion));
  }
  return database;
}

Database::~Database() {
  write_guard_->Close();
  if (log_) log_->Close();
  if (!db_) return;
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

rocksdb::ColumnFamilyHandle* Database::family(Family family) const {
  return families_[static_cast<size_t>(family)];
}

absl::Status Database::Write(AuditedBatch& batch, const WriteOptions& write_options) {
  if (absl::Now() > write_options.deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before its write: nothing written");
  }
  // The cursors are released (the reservation goes away) only after the
  // write, so no reader can pass them before the entries are there.
  AuditLog::Reservation cursors = log_->Reserve(batch.records().size());
  uint64_t cursor = cursors.first();
  for (const AuditedRecord& record : batch.records()) {
    log_->Stage(batch.batch(), cursor++, record);
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  // Inserts continue from the batch's previous one even when other writes
  // share its write group.
  options.memtable_insert_hint_per_batch = true;
  // In key order the memtable inserts are shorter (key_ordered_batch.h);
  // the batch as staged is written only if it holds something else.
  rocksdb::WriteBatch ordered(batch.batch().GetDataSize());
  rocksdb::WriteBatch* write = &batch.batch();
  if (KeyOrdered(batch.batch(), families_, ordered)) write = &ordered;
  absl::Status written = write_guard_->Run([&] { return db_->Write(options, write); });
  if (!written.ok() && !write_guard_->writable()) cursors.Hold();
  return written;
}

}  // namespace duban::storage
