// WriteGuard: stops the store's writes at the first one the disk fails.
//
// When a WAL sync fails, RocksDB's writer of that log cannot be used again:
// Debian's librocksdb (7.8, built with assertions) aborts the process if
// anything writes to it or syncs it later — after RocksDB's own error
// recovery, say. So at the first failed write, or the first background
// error RocksDB reports (a failed flush, compaction or manifest write),
// the guard refuses every later write UNAVAILABLE before it reaches
// RocksDB, and RocksDB's own recovery is turned off (EventListener).
// Reads go on. Nothing acknowledged is lost: the store recovers, as after
// a crash, when it is opened again on a repaired disk.
//
//   absl::Status written = guard.Run([&] { return db->Write(options, &batch); });
//
// Thread-safe: writes in flight share gate_; Close takes it alone, so the
// store closes with no write inside RocksDB. mu_ guards the failure.
#ifndef DUBAN_STORAGE_WRITE_GUARD_H_
#define DUBAN_STORAGE_WRITE_GUARD_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "base/mutex.h"
#include "absl/time/time.h"
#include "rocksdb/listener.h"
#include "rocksdb/status.h"

namespace duban::storage {

class WriteGuard {
 public:
  WriteGuard() = default;
  WriteGuard(const WriteGuard&) = delete;
  WriteGuard& operator=(const WriteGuard&) = delete;

  // Runs `write` unless writes are refused (UNAVAILABLE, saying why). A
  // disk failure it returns (an I/O error — EIO, ENOSPC — or corruption)
  // refuses every later write, and is answered UNAVAILABLE: the write may
  // or may not be stored — a retry with its request id after a restart
  // tells. Other errors (busy, a bad batch) are this write's alone.
  [[nodiscard]] absl::Status Run(absl::FunctionRef<rocksdb::Status()> write)
      ABSL_LOCKS_EXCLUDED(gate_, mu_);

  // Refuses writes from now on because of `cause`. The first failure stands.
  void Fail(const absl::Status& cause) ABSL_LOCKS_EXCLUDED(mu_);

  bool writable() const { return !failed_.load(); }
  // Why writes are refused, and since when; OK while writable.
  absl::Status failure() const ABSL_LOCKS_EXCLUDED(mu_);
  absl::Time failed_since() const ABSL_LOCKS_EXCLUDED(mu_);
  // Writes the disk failed, and writes refused after such a failure.
  int64_t errors() const { return errors_.load(); }

  // Called once, with the cause, on the first failure — at once, if it has
  // already happened: not under any lock of the guard, possibly on a
  // RocksDB thread.
  void set_failure_listener(std::function<void(const absl::Status&)> listener)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Refuses new writes and waits for those in flight; the store is closing.
  void Close() ABSL_LOCKS_EXCLUDED(gate_, mu_);

  // A RocksDB listener that reports background errors to `guard` and turns
  // off RocksDB's automatic recovery from them.
  static std::shared_ptr<rocksdb::EventListener> ListenerFor(std::shared_ptr<WriteGuard> guard);

 private:
  SharedMutex gate_;
  bool closed_ ABSL_GUARDED_BY(gate_) = false;
  std::atomic<bool> failed_{false};
  std::atomic<int64_t> errors_{0};
  mutable Mutex mu_ ABSL_ACQUIRED_AFTER(gate_);
  absl::Status failure_ ABSL_GUARDED_BY(mu_);
  absl::Status cause_ ABSL_GUARDED_BY(mu_);
  absl::Time since_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::function<void(const absl::Status&)> failure_listener_ ABSL_GUARDED_BY(mu_);
};

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_WRITE_GUARD_H_
