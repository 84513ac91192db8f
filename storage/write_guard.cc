#include "storage/write_guard.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace duban::storage {
namespace {

// Statuses that say "not now" rather than "the disk failed".
bool IsTransient(const rocksdb::Status& status) {
  return status.IsBusy() || status.IsTryAgain() || status.IsIncomplete() || status.IsTimedOut();
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
    absl::ReaderMutexLock gate(&gate_);
    if (closed_) return absl::UnavailableError("the store is closing");
    if (failed_.load()) {
      ++errors_;
      return failure();
    }
    status = write();
  }
  if (status.ok()) return absl::OkStatus();
  ++errors_;
  if (IsTransient(status)) {
    return absl::UnavailableError(absl::StrCat("write: ", status.ToString()));
  }
  Fail(absl::InternalError(absl::StrCat("a write failed: ", status.ToString())));
  return absl::UnavailableError(absl::StrCat(
      "the store's disk failed this write (", status.ToString(),
      "); it may or may not be stored — a retry with the same request id after duband is "
      "restarted on a repaired disk tells. Writes are refused until then; reads go on"));
}

void WriteGuard::Fail(const absl::Status& cause) {
  {
    absl::MutexLock lock(&mu_);
    if (failed_.load()) return;
    failure_ = absl::UnavailableError(absl::StrCat(
        "writes are refused since the store's disk failed (", cause.message(),
        "); reads go on. Repair or replace the disk and restart duband: it recovers as after a "
        "crash"));
    since_ = absl::Now();
    failed_.store(true);
  }
  if (failure_listener_) failure_listener_(cause);
}

absl::Status WriteGuard::failure() const {
  absl::MutexLock lock(&mu_);
  return failure_;
}

absl::Time WriteGuard::failed_since() const {
  absl::MutexLock lock(&mu_);
  return since_;
}

void WriteGuard::Close() {
  absl::WriterMutexLock gate(&gate_);
  closed_ = true;
}

std::shared_ptr<rocksdb::EventListener> WriteGuard::ListenerFor(std::shared_ptr<WriteGuard> guard) {
  return std::make_shared<StopOnError>(std::move(guard));
}

}  // namespace duban::storage
