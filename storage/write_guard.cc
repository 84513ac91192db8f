#include "storage/write_guard.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "storage/database.h"

namespace duban::storage {
namespace {

// Statuses that say the disk failed the write (an I/O error, no space, or
// what it read back was corrupt), as opposed to "not now" or a bad batch.
bool IsDiskFailure(const rocksdb::Status& status) {
  return status.IsIOError() || status.IsCorruption();
}

class StopOnError final : public rocksdb::EventListener {
 public:
  explicit StopOnError(std::shared_ptr<WriteGuard> guard) : guard_(std::move(guard)) {}

  const char* Name() const override { return "duban.StopOnError"; }

  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error != nullptr && !error->ok()) {
      guard_->Fail(absl::InternalError(absl::StrCat("the store reported ", error->ToString())));
    }
  }

  // RocksDB's recovery would go back to a log writer that failed.
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    if (auto_recovery != nullptr) *auto_recovery = false;
  }

 private:
  std::shared_ptr<WriteGuard> guard_;
};

}  // namespace

absl::Status WriteGuard::Run(absl::FunctionRef<rocksdb::Status()> write) {
  rocksdb::Status status;
  {
    ReaderMutexLock gate(&gate_);
    if (closed_) return absl::UnavailableError("the store is closing");
    if (failed_.load()) {
      ++errors_;
      return failure();
    }
    status = write();
  }
  if (status.ok()) return absl::OkStatus();
  if (!IsDiskFailure(status)) return FromRocks(status, "write");
  ++errors_;
  Fail(absl::InternalError(absl::StrCat("a write failed: ", status.ToString())));
  return absl::UnavailableError(absl::StrCat(
      "the store's disk failed this write (", status.ToString(),
      "); it may or may not be stored — a retry with the same request id after duband is "
      "restarted on a repaired disk tells. Writes are refused until then; reads go on"));
}

void WriteGuard::Fail(const absl::Status& cause) {
  std::function<void(const absl::Status&)> listener;
  {
    MutexLock lock(&mu_);
    if (failed_.load()) return;
    failure_ = absl::UnavailableError(absl::StrCat(
        "writes are refused since the store's disk failed (", cause.message(),
        "); reads go on. Repair or replace the disk and restart duband: it recovers as after a "
        "crash"));
    cause_ = cause;
    since_ = absl::Now();
    failed_.store(true);
    listener = failure_listener_;
  }
  if (listener) listener(cause);
}

void WriteGuard::set_failure_listener(std::function<void(const absl::Status&)> listener) {
  absl::Status cause;
  {
    MutexLock lock(&mu_);
    failure_listener_ = listener;
    if (!failed_.load()) return;
    cause = cause_;
  }
  // It failed before anyone listened: tell the listener now.
  if (listener) listener(cause);
}

absl::Status WriteGuard::failure() const {
  MutexLock lock(&mu_);
  return failure_;
}

absl::Time WriteGuard::failed_since() const {
  MutexLock lock(&mu_);
  return since_;
}

void WriteGuard::Close() {
  WriterMutexLock gate(&gate_);
  closed_ = true;
}

std::shared_ptr<rocksdb::EventListener> WriteGuard::ListenerFor(std::shared_ptr<WriteGuard> guard) {
  return std::make_shared<StopOnError>(std::move(guard));
}

}  // namespace duban::storage
