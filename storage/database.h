// Database: the RocksDB instance that holds everything duban stores, with
// one column family per kind of record.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open({.path = dir}));
//   AuditedBatch batch;
//   batch.PutRecord(AuditKind::kTicket, db->family(Family::kTickets), key, value);
//   RETURN_IF_ERROR(db->Write(batch));   // synced: durable once it returns OK
//
// Column families and what each holds (encodings next to the code that
// builds the keys):
//   default       format version (database.cc), replication state (replication_state.h)
//   tickets       ticket id → Ticket                   (ticket_keys.h)
//   events        ticket id, sequence → TicketEvent    (ticket_keys.h)
//   ticket_index  secondary indexes of tickets         (ticket_index.h)
//   directory     units and principals                 (directory_store.h)
//   requests      request ids and their first answers  (request_log.h)
//   referrals     referrals and their indexes          (referral_keys.h)
//   log           every record written, with its hash, in commit order (audit_log.h)
//   settings      escalation and ledger policies, calendar years (settings_store.h)
//   ledger        performance ledger entries           (ledger_store.h)
//   draws         spot-check draws                     (draw_store.h)
//   auth          passwords, sessions, security events (auth_store.h)
//
// A Database is safe for concurrent use. Only one process may open a path;
// a second Open fails with UNAVAILABLE.
//
// Replication (docs/replication.md): every write carries the store's epoch
// in the write-ahead log. A store opened as a replica writes nothing of its
// own — Write is refused FAILED_PRECONDITION naming the primary — and
// changes only by ApplyReplicated, batch for batch as the primary wrote
// them, so its sequence numbers stay equal to the primary's.
#ifndef DUBAN_STORAGE_DATABASE_H_
#define DUBAN_STORAGE_DATABASE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "duban/v1/replication.pb.h"
#include "rocksdb/cache.h"
#include "rocksdb/compaction_filter.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "rocksdb/write_buffer_manager.h"
#include "storage/audit_log.h"
#include "storage/audited_batch.h"
#include "storage/memory_budget.h"
#include "storage/write_guard.h"

namespace duban::storage {

class RequestLog;

struct StoreOptions {
  // The directory of the database; created when missing, durably (its
  // parent synced). Refused while a restore into it is unfinished
  // (data_directory.h).
  std::string path;
  // How the store's memory is bounded (memory_budget.h).
  MemoryPlan memory{};
  // The environment RocksDB runs on; null for the default (the real file
  // system). Tests pass one that simulates power loss. Not owned.
  rocksdb::Env* env = nullptr;
  // How long, by the server's clock, a request id is remembered
  // (request_log.h). A training county, whose clock runs N times faster,
  // remembers N times as long: 24 hours of real time.
  absl::Duration request_retention = absl::Hours(24);
  // Open as a replica of `primary` (a host:port, named in refusals).
  bool replica = false;
  std::string primary{};
  // Open as a primary and begin the next epoch (a promoted replica).
  bool begin_epoch = false;
  // Keep write-ahead log files no longer needed for this long, and up to
  // this size, so a replica that fell behind can catch up from them; 0 and
  // 0: delete them at once.
  uint64_t wal_ttl_seconds = 0;
  uint64_t wal_size_limit_mb = 0;
};

// What one replicated batch changed, for the caches that follow the store.
struct AppliedBatch {
  uint64_t sequence = 0;
  // Bit (1 << Family) for each column family the batch wrote.
  uint32_t families = 0;
};

// Where the store's memory is, in bytes (RocksDB's own accounts).
struct MemoryUsage {
  // The plan the store was opened with.
  MemoryPlan plan;
  // Memtables of every column family: mutable, waiting to be flushed, and
  // flushed but still read by an iterator ("rocksdb.size-all-mem-tables",
  // what the WriteBufferManager charges to the cache).
  uint64_t memtables = 0;
  // The shared block cache: everything charged to it (memtables, index and
  // filter blocks, table readers, data blocks), and what of that is pinned
  // or in use and cannot be evicted — the memtables' and table readers'
  // charges included.
  uint64_t cache_usage = 0;
  uint64_t cache_pinned = 0;
  // RocksDB's estimate of the memory its open table files' readers hold.
  uint64_t table_readers = 0;
};

enum class Family {
  kDefault,
  kTickets,
  kEvents,
  kTicketIndex,
  kDirectory,
  kRequests,
  kReferrals,
  kLog,
  kSettings,
  kLedger,
  kDraws,
  kAuth
};

// How one write is made.
struct WriteOptions {
  // The deadline of the call the write is for: past it, the caller has
  // stopped waiting, so the write is not made (DEADLINE_EXCEEDED) and the
  // client never sees a timeout for a change that was applied — except one
  // committed in the instant between the check and the reply, which a
  // retry with the same request id answers. InfiniteFuture: no call waits
  // (start-up, the server's own sweeps).
  absl::Time deadline = absl::InfiniteFuture();
};

class Database {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Database>> Open(const StoreOptions& options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // Flushes nothing extra (every write is already synced) and closes.
  ~Database();

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* family(Family family) const;

  // Applies `batch` atomically — with an audit log entry for each of its
  // records — and syncs the write-ahead log before returning OK.
  // DEADLINE_EXCEEDED, writing nothing, when `options.deadline` has passed.
  // UNAVAILABLE when the disk failed this write or an earlier one: from the
  // first failure on, writes are refused without reaching RocksDB until the
  // store is opened again; reads go on (write_guard.h).
  [[nodiscard]] absl::Status Write(AuditedBatch& batch, const WriteOptions& options);

  // Whether writes are accepted, why not, and what to call on the first
  // failure (write_guard.h).
  WriteGuard& write_guard() const { return *write_guard_; }

  // An integer RocksDB property summed over all column families (e.g.
  // "rocksdb.total-sst-files-size"); 0 when RocksDB does not know it.
  uint64_t SummedProperty(const std::string& name) const {
    uint64_t value = 0;
    return db_->GetAggregatedIntProperty(name, &value) ? value : 0;
  }

  // Where the store's memory is. Reads RocksDB's counters; cheap.
  MemoryUsage memory_usage() const;

  // The audit log (every record written, in commit order).
  AuditLog& log() const { return *log_; }

  // The one request log every store runs its mutations through, so that
  // calls with the same request id run one at a time whichever store they
  // reach (request_log.h).
  RequestLog& requests() const { return *requests_; }

  absl::Duration request_retention() const { return request_retention_; }

  // --- Replication (docs/replication.md) ---

  bool replica() const { return replica_; }
  // The store's id, epoch, epoch history and fence (replication_state.h).
  v1::ReplicationState replication_state() const ABSL_LOCKS_EXCLUDED(replication_mutex_);
  // The newest sequence number written.
  uint64_t latest_sequence() const { return db_->GetLatestSequenceNumber(); }
  // Waits until a write has reached `sequence`, `timeout` passes or the
  // store closes; whether it was reached.
  bool WaitForSequence(uint64_t sequence, absl::Duration timeout)
      ABSL_LOCKS_EXCLUDED(sequence_mutex_);

  // On a replica: writes the primary's batch `data`, which begins at
  // `sequence`, synced. OUT_OF_RANGE, writing nothing, unless `sequence`
  // follows the newest one here; FAILED_PRECONDITION for a batch of an
  // epoch older than the store's (a history that diverged); DATA_LOSS for
  // a batch that does not parse or carries no epoch. Called by one thread.
  [[nodiscard]] absl::StatusOr<AppliedBatch> ApplyReplicated(uint64_t sequence,
                                                             absl::string_view data);

  // On a primary that learned that `epoch` began elsewhere: if it is newer
  // than its own, records it and refuses every later write.
  [[nodiscard]] absl::Status Fence(int64_t epoch) ABSL_LOCKS_EXCLUDED(replication_mutex_);

  // Called after every acknowledged Write with the newest sequence number,
  // before Write returns (a semi-synchronous primary waits there for its
  // replicas). Set before concurrent use.
  void set_commit_waiter(std::function<void(uint64_t sequence)> waiter) {
    commit_waiter_ = std::move(waiter);
  }

 private:
  Database() = default;
  // Writes the format version, the replication state and (begin_epoch) the
  // next epoch on a primary; reads and checks them on either.
  [[nodiscard]] absl::Status PrepareMeta(const StoreOptions& options);
  // Reads the replication state into state_ and the atomics below.
  [[nodiscard]] absl::Status LoadReplicationState() ABSL_LOCKS_EXCLUDED(replication_mutex_);
  // FAILED_PRECONDITION when this store takes no writes (a replica, or
  // fenced); OK otherwise.
  absl::Status CheckWritable() const;
  void NoteWritten() ABSL_LOCKS_EXCLUDED(sequence_mutex_);

  // Shared with the RocksDB listener that reports background errors to it.
  std::shared_ptr<WriteGuard> write_guard_ = std::make_shared<WriteGuard>();
  std::unique_ptr<rocksdb::CompactionFilter> request_retention_filter_;
  MemoryPlan memory_plan_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::shared_ptr<rocksdb::WriteBufferManager> write_buffers_;
  absl::Duration request_retention_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<AuditLog> log_;
  std::unique_ptr<RequestLog> requests_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;

  bool replica_ = false;
  std::string primary_;
  std::function<void(uint64_t)> commit_waiter_;
  // The epoch written into every batch, and the newer one that fenced this
  // store (0: none); copies of state_ read on every write.
  std::atomic<int64_t> epoch_{1};
  std::atomic<int64_t> fenced_by_{0};
  // Guards state_; taken alone.
  mutable Mutex replication_mutex_;
  v1::ReplicationState state_ ABSL_GUARDED_BY(replication_mutex_);
  // Signalled after every write; WaitForSequence waits on it. Taken alone.
  Mutex sequence_mutex_;
  CondVar sequence_advanced_;
  bool closed_ ABSL_GUARDED_BY(sequence_mutex_) = false;
};

// The absl::Status for a RocksDB status; `what` says what was being done.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_DATABASE_H_
