// The writers of power_loss_test, straight on the stores.
//
//   CrashStores stores;
//   ASSERT_TRUE(stores.Open(path, env.get()).ok());
//   StepClock clock(start);
//   StoreWriter writer(3, seed);
//   writer.Run(stores, clock, powered, stop, /*retry_only=*/false, on_ack);
//   ... power cut, stores.Close(), restore, stores.Open(...) ...
//   writer.Run(...);   // first re-does the step the cut interrupted
//
// CrashStores: a Database on the given Env with the TicketStore and
// LedgerStore on it, and the domain context steps run in: the FakeDirectory
// units, a weekends-only calendar in Asia/Shanghai, the default escalation
// and ledger policies. Thread-safe between Open and Close.
//
// StoreWriter walks tickets round the loop as LoopWriter does over gRPC:
// create (as the leader), sign, report, submit, review, plan, submit; one
// ticket in four is left after signing for the ladder. Every step carries a
// request key; a step a power cut interrupted is re-done with the same key
// by the next Run, and must then succeed. Not thread-safe: one thread
// drives one writer.
#ifndef DUBAN_TESTS_CRASH_STORE_WRITER_H_
#define DUBAN_TESTS_CRASH_STORE_WRITER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "domain/loop_context.h"
#include "domain/work_calendar.h"
#include "duban/v1/escalation.pb.h"
#include "duban/v1/performance.pb.h"
#include "rocksdb/env.h"
#include "storage/database.h"
#include "storage/ledger_store.h"
#include "storage/ticket_store.h"
#include "tests/crash/history_checks.h"
#include "tests/support/fake_directory.h"

namespace duban::testing {

class CrashStores {
 public:
  CrashStores();
  CrashStores(const CrashStores&) = delete;
  CrashStores& operator=(const CrashStores&) = delete;

  // Opens the database at `path` on `env` (not owned) and the stores.
  [[nodiscard]] absl::Status Open(const std::string& path, rocksdb::Env* env);
  // Closes the stores and the database; errors (e.g. without power) are
  // ignored.
  void Close();

  LoopContext ContextFor(const Caller& caller, absl::Time now);
  storage::Database& database() { return *database_; }
  storage::TicketStore& tickets() { return *tickets_; }

 private:
  FakeDirectory units_;
  WorkCalendar calendar_;
  v1::EscalationPolicy policy_;
  v1::LedgerPolicy ledger_policy_;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::TicketStore> tickets_;
  std::unique_ptr<storage::LedgerStore> ledger_;
};

// The time steps run at: each acknowledged step moves it on an hour, so
// the ladder climbs as the work goes on. Thread-safe.
class StepClock {
 public:
  explicit StepClock(absl::Time start) : micros_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const { return absl::FromUnixMicros(micros_.load()); }
  void Advance(absl::Duration by) { micros_ += absl::ToInt64Microseconds(by); }

 private:
  std::atomic<int64_t> micros_;
};

// The caller the escalation sweeper acts as.
Caller SweeperCaller();

class StoreWriter {
 public:
  StoreWriter(int index, uint64_t seed);
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Re-does the interrupted step, if any; then, unless `retry_only`, steps
  // tickets until `stop` is set or a step fails. A failure while `powered`
  // says the power is on is recorded (see TakeFailures). Calls `acknowledged`
  // after each acknowledged step.
  void Run(CrashStores& stores, StepClock& clock, const std::function<bool()>& powered,
           const std::atomic<bool>& stop, bool retry_only,
           const std::function<void()>& acknowledged);

  // The steps acknowledged since the last TakeAcks.
  std::vector<Ack> TakeAcks();
  // The failures recorded since the last TakeFailures.
  std::vector<std::string> TakeFailures();
  int retries_answered() const { return retries_answered_; }

 private:
  struct Step {
    std::string what;
    std::string request_id;
    v1::EventType type;
    std::function<absl::StatusOr<v1::Ticket>(CrashStores&, absl::Time)> run;
    bool retried = false;
    // When the step was first tried; a retry runs at the same time, so the
    // request log still knows its key however far the clock has moved.
    std::optional<absl::Time> at;
  };

  Step NextStep();
  Step Create();
  std::string NewRequestId();

  const int index_;
  const std::string lead_;  // `units/{id}`
  std::mt19937_64 random_;
  int requests_ = 0;
  std::optional<v1::Ticket> current_;
  std::optional<Step> interrupted_;
  std::vector<Ack> acks_;
  std::vector<std::string> failures_;
  int retries_answered_ = 0;
};

}  // namespace duban::testing

#endif  // DUBAN_TESTS_CRASH_STORE_WRITER_H_
