#include "storage/database.h"

#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/errors.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "storage/big_endian.h"
#include "storage/data_directory.h"
#include "storage/format_upgrade.h"
#include "storage/freed_memory_listener.h"
#include "storage/key_ordered_batch.h"
#include "storage/record.h"
#include "storage/replication_state.h"
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

// Table files whose index and filter blocks, and readers, are charged to
// `cache`, the level-0 ones pinned there (memory_budget.h). Bloom filters
// where keys are looked up one by one; a family only ever scanned in key
// order has no use for them.
std::shared_ptr<rocksdb::TableFactory> TableFactory(std::shared_ptr<rocksdb::Cache> cache,
                                                    bool bloom_filters) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = std::move(cache);
  if (bloom_filters) table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  for (const rocksdb::CacheEntryRole role : {rocksdb::CacheEntryRole::kBlockBasedTableReader,
                                             rocksdb::CacheEntryRole::kFilterConstruction}) {
    table.cache_usage_options.options_overrides.insert(
        {role, {.charged = rocksdb::CacheEntryRoleOptions::Decision::kEnabled}});
  }
  return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
}

// Families read only by scans in key order (the others are also read key
// by key: a ticket, an event, a request id, a principal).
constexpr Family kScannedFamilies[] = {Family::kTicketIndex, Family::kLog};

// The RocksDB options of a store whose memory `cache` and `write_buffers`
// bound as `plan` says (memory_budget.h).
rocksdb::Options MakeOptions(const StoreOptions& options, std::shared_ptr<WriteGuard> guard,
                             std::shared_ptr<rocksdb::Cache> cache,
                             std::shared_ptr<rocksdb::WriteBufferManager> write_buffers) {
  rocksdb::Options rocks;
  // After a failed write the guard refuses writes until the store is opened
  // again; RocksDB must not recover by itself into a log writer that failed
  // (write_guard.h).
  rocks.max_bgerror_resume_count = 0;
  rocks.listeners.push_back(WriteGuard::ListenerFor(std::move(guard)));
  rocks.listeners.push_back(FreedMemoryListener());
  if (options.env != nullptr) rocks.env = options.env;
  // Kept for replicas that fell behind (docs/replication.md).
  rocks.WAL_ttl_seconds = options.wal_ttl_seconds;
  rocks.WAL_size_limit_MB = options.wal_size_limit_mb;
  rocks.create_if_missing = true;
  rocks.create_missing_column_families = true;
  rocks.max_background_jobs = 2;
  rocks.bytes_per_sync = 1 << 20;
  // Most bytes end in the last level, where zstd keeps a ticket (its index
  // entries carry repetitive summaries) in about a fifth less disk than
  // snappy; upper levels stay snappy for cheap flushes (docs/performance.md).
  rocks.bottommost_compression = rocksdb::kZSTD;
  // Memory (memory_budget.h): every memtable is charged to the one cache.
  rocks.write_buffer_manager = std::move(write_buffers);
  rocks.write_buffer_size = options.memory.write_buffer_bytes;
  rocks.table_factory = TableFactory(std::move(cache), /*bloom_filters=*/true);
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
  database->memory_plan_ = options.memory;
  rocksdb::LRUCacheOptions cache;
  cache.capacity = options.memory.cache_bytes;
  // Index and filter blocks, which every read of a file needs, outlast data.
  cache.high_pri_pool_ratio = 0.5;
  database->block_cache_ = rocksdb::NewLRUCache(cache);
  database->write_buffers_ = std::make_shared<rocksdb::WriteBufferManager>(
      options.memory.write_buffers_bytes, database->block_cache_, /*allow_stall=*/false);
  const rocksdb::Options rocks =
      MakeOptions(options, database->write_guard_, database->block_cache_, database->write_buffers_);
  database->request_retention_filter_ = NewRequestRetentionFilter();
  database->request_retention_ = options.request_retention;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions(rocks));
  }
  descriptors[static_cast<size_t>(Family::kRequests)].options.compaction_filter =
      database->request_retention_filter_.get();
  const std::shared_ptr<rocksdb::TableFactory> unfiltered =
      TableFactory(database->block_cache_, /*bloom_filters=*/false);
  for (const Family scanned : kScannedFamilies) {
    descriptors[static_cast<size_t>(scanned)].options.table_factory = unfiltered;
  }
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(rocksdb::DBOptions(rocks), options.path, descriptors,
                                             &database->families_, &raw);
  if (!opened.ok()) return FromRocks(opened, absl::StrCat("open ", options.path));
  database->db_.reset(raw);
  ASSIGN_OR_RETURN(database->log_, AuditLog::Open(raw, database->family(Family::kLog)));
  database->requests_ = std::unique_ptr<RequestLog>(new RequestLog(database.get()));

  database->replica_ = options.replica;
  database->primary_ = options.primary;
  RETURN_IF_ERROR(database->PrepareMeta(options));
  return database;
}

absl::Status Database::PrepareMeta(const StoreOptions& options) {
  rocksdb::ColumnFamilyHandle* meta = family(Family::kDefault);
  std::string version;
  rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), meta, kFormatVersionKey, &version);
  if (read.IsNotFound() && !replica_) {
    AuditedBatch batch;
    batch.Put(meta, kFormatVersionKey, kFormatVersion);
    RETURN_IF_ERROR(Write(batch, WriteOptions{}));
  } else if (read.IsNotFound()) {
    return absl::FailedPreconditionError(
        absl::StrCat(options.path, " holds no complete copy of a store (no format version)"));
  } else if (!read.ok()) {
    return FromRocks(read, "read format version");
  } else if (CanUpgradeFrom(version) && !replica_) {
    RETURN_IF_ERROR(UpgradeFormat(db_.get(), meta, family(Family::kTickets),
                                  family(Family::kTicketIndex), kFormatVersionKey, version,
                                  kFormatVersion));
  } else if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        options.path, " holds format version ", version, "; this server reads ", kFormatVersion));
  }

  absl::StatusOr<v1::ReplicationState> state = ReadReplicationState(*db_, meta);
  if (absl::IsNotFound(state.status()) && !replica_) {
    state = NewReplicationState();
    AuditedBatch batch;
    batch.Put(meta, kReplicationStateKey, EncodeRecord(*state));
    RETURN_IF_ERROR(Write(batch, WriteOptions{}));
  }
  RETURN_IF_ERROR(state.status());
  if (options.begin_epoch) {
    if (replica_) return absl::InvalidArgumentError("a replica cannot begin an epoch");
    // Written alone, so the epoch begins exactly at this batch.
    const v1::ReplicationState next = NextEpoch(*state, static_cast<int64_t>(latest_sequence()) + 1);
    epoch_ = next.epoch();
    AuditedBatch batch;
    batch.Put(meta, kReplicationStateKey, EncodeRecord(next));
    RETURN_IF_ERROR(Write(batch, WriteOptions{}));
  }
  return LoadReplicationState();
}

absl::Status Database::LoadReplicationState() {
  ASSIGN_OR_RETURN(v1::ReplicationState state,
                   ReadReplicationState(*db_, family(Family::kDefault)));
  epoch_ = state.epoch();
  fenced_by_ = state.fenced_by_epoch();
  MutexLock lock(&replication_mutex_);
  state_ = std::move(state);
  return absl::OkStatus();
}

MemoryUsage Database::memory_usage() const {
  MemoryUsage usage;
  usage.plan = memory_plan_;
  usage.memtables = SummedProperty("rocksdb.size-all-mem-tables");
  usage.cache_usage = block_cache_->GetUsage();
  usage.cache_pinned = block_cache_->GetPinnedUsage();
  usage.table_readers = SummedProperty("rocksdb.estimate-table-readers-mem");
  return usage;
}

v1::ReplicationState Database::replication_state() const {
  MutexLock lock(&replication_mutex_);
  return state_;
}

absl::Status Database::CheckWritable() const {
  if (replica_) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "READ_ONLY_REPLICA",
        absl::StrCat("this server is a replica of ", primary_,
                     " and takes no changes: send them to the primary"),
        {{"primary", primary_}});
  }
  if (const int64_t fenced_by = fenced_by_.load(); fenced_by != 0) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "FENCED_PRIMARY",
        absl::StrCat("this server is no longer the primary: epoch ", fenced_by,
                     " began on a promoted replica; send changes there"),
        {{"epoch", absl::StrCat(fenced_by)}});
  }
  return absl::OkStatus();
}

void Database::NoteWritten() {
  MutexLock lock(&sequence_mutex_);
  sequence_advanced_.SignalAll();
}

bool Database::WaitForSequence(uint64_t sequence, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  MutexLock lock(&sequence_mutex_);
  while (latest_sequence() < sequence) {
    if (closed_ || sequence_advanced_.WaitWithDeadline(&sequence_mutex_, deadline)) break;
  }
  return latest_sequence() >= sequence;
}

absl::Status Database::Fence(int64_t epoch) {
  MutexLock lock(&replication_mutex_);
  if (epoch <= state_.epoch() || epoch <= state_.fenced_by_epoch()) return absl::OkStatus();
  v1::ReplicationState fenced = state_;
  fenced.set_fenced_by_epoch(epoch);
  rocksdb::WriteBatch batch;
  batch.Put(family(Family::kDefault), kReplicationStateKey, EncodeRecord(fenced));
  batch.PutLogData(EpochMark(state_.epoch()));
  rocksdb::WriteOptions options;
  options.sync = true;
  // Refused from here on, whether or not the record reaches the disk.
  fenced_by_ = epoch;
  state_ = std::move(fenced);
  return write_guard_->Run([&] { return db_->Write(options, &batch); });
}

namespace {

// What a replicated batch holds: the families it writes, its newest audit
// log cursor and its epoch mark.
class BatchInspector : public rocksdb::WriteBatch::Handler {
 public:
  BatchInspector(const std::vector<rocksdb::ColumnFamilyHandle*>& families) {
    for (size_t i = 0; i < families.size(); ++i) family_of_id_[families[i]->GetID()] = i;
  }
  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key, const rocksdb::Slice&) override {
    return Touch(id, key);
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    return Touch(id, key);
  }
  rocksdb::Status SingleDeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    return Touch(id, key);
  }
  rocksdb::Status DeleteRangeCF(uint32_t id, const rocksdb::Slice& key,
                                const rocksdb::Slice&) override {
    return Touch(id, key);
  }
  void LogData(const rocksdb::Slice& blob) override {
    if (std::optional<int64_t> epoch = ReadEpochMark(absl::string_view(blob.data(), blob.size()))) epoch_ = *epoch;
  }

  uint32_t families = 0;
  uint64_t max_cursor = 0;
  std::optional<int64_t> epoch_;

 private:
  rocksdb::Status Touch(uint32_t id, const rocksdb::Slice& key) {
    auto found = family_of_id_.find(id);
    if (found == family_of_id_.end()) return rocksdb::Status::Corruption("unknown column family");
    families |= 1u << found->second;
    if (found->second == static_cast<size_t>(Family::kLog) && key.size() == 8) {
      max_cursor = std::max(max_cursor, ReadBigEndian64(absl::string_view(key.data(), key.size())));
    }
    return rocksdb::Status::OK();
  }
  std::map<uint32_t, size_t> family_of_id_;
};

}  // namespace

absl::StatusOr<AppliedBatch> Database::ApplyReplicated(uint64_t sequence, absl::string_view data) {
  if (!replica_) return absl::FailedPreconditionError("only a replica applies replicated batches");
  rocksdb::WriteBatch batch{std::string(data)};
  BatchInspector inspector(families_);
  if (rocksdb::Status parsed = batch.Iterate(&inspector); !parsed.ok()) {
    return absl::DataLossError(
        absl::StrCat("replicated batch at sequence ", sequence, ": ", parsed.ToString()));
  }
  if (!inspector.epoch_) {
    return absl::DataLossError(
        absl::StrCat("replicated batch at sequence ", sequence, " carries no epoch"));
  }
  if (*inspector.epoch_ < epoch_.load()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the primary sent a batch of epoch ", *inspector.epoch_, " at sequence ",
                     sequence, " to a replica at epoch ", epoch_.load(),
                     ": its history diverged from this one's"));
  }
  const uint64_t latest = latest_sequence();
  if (sequence != latest + 1) {
    return absl::OutOfRangeError(absl::StrCat("the primary sent sequence ", sequence,
                                              " to a replica at ", latest, ": a gap"));
  }
  rocksdb::WriteOptions options;
  options.sync = true;
  RETURN_IF_ERROR(write_guard_->Run([&] { return db_->Write(options, &batch); }));
  if (inspector.families & (1u << static_cast<size_t>(Family::kDefault))) {
    RETURN_IF_ERROR(LoadReplicationState());
  }
  if (inspector.max_cursor != 0) log_->AdvanceTo(inspector.max_cursor);
  NoteWritten();
  return AppliedBatch{.sequence = sequence, .families = inspector.families};
}

Database::~Database() {
  {
    MutexLock lock(&sequence_mutex_);
    closed_ = true;
    sequence_advanced_.SignalAll();
  }
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
  RETURN_IF_ERROR(CheckWritable());
  if (absl::Now() > write_options.deadline) {
    return absl::DeadlineExceededError(
        "the call's deadline passed before its write: nothing written");
  }
  {
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
    // Replicated with the batch: a replica never applies an older epoch's.
    write->PutLogData(EpochMark(epoch_.load()));
    absl::Status written = write_guard_->Run([&] { return db_->Write(options, write); });
    if (!written.ok() && !write_guard_->writable()) cursors.Hold();
    if (!written.ok()) return written;
  }
  NoteWritten();
  // After the cursors are released: readers here need not wait for replicas.
  if (commit_waiter_) commit_waiter_(latest_sequence());
  return absl::OkStatus();
}

}  // namespace duban::storage
