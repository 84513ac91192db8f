// The server's clock against what the store already holds.
//
// A training county (duband --dev --time_scale N) runs its clock N times
// faster than real time. The clock is saved in the store every second of
// real time (TrainingClockKeeper) and at shutdown, and a restart resumes
// past where it stopped — the saved moment plus one save interval of its
// time, or the newest event in the store, whichever is later — so nothing
// new is dated before anything already written, even after a kill. Any
// server, training or not, checks at start that its clock does not read
// earlier than the newest stored event: a wrong system clock must not go
// unnoticed.
//
//   ASSIGN_OR_RETURN(absl::Time resumed, ResumeTrainingClock(*settings, *tickets, real_now, N));
//   options.now = ScaledClock(resumed, N, real_clock);
//   TrainingClockKeeper keeper(settings, options.now, log);  keeper.Start();
//   WarnIfClockBehind(*tickets, options.now(), *log);
#ifndef DUBAN_SERVER_RUNTIME_TRAINING_CLOCK_H_
#define DUBAN_SERVER_RUNTIME_TRAINING_CLOCK_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "base/mutex.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/runtime/json_log.h"
#include "storage/settings_store.h"
#include "storage/ticket_store.h"

namespace duban {

// Saves a training county's clock every kSaveEvery of real time, on a
// thread of its own, and once more when stopped. Thread-safe; `settings`
// and `log` are not owned and must outlive it.
class TrainingClockKeeper {
 public:
  static constexpr absl::Duration kSaveEvery = absl::Seconds(1);

  TrainingClockKeeper(storage::SettingsStore* settings, std::function<absl::Time()> now,
                      JsonLog* log)
      : settings_(*settings), now_(std::move(now)), log_(*log) {}
  TrainingClockKeeper(const TrainingClockKeeper&) = delete;
  TrainingClockKeeper& operator=(const TrainingClockKeeper&) = delete;
  ~TrainingClockKeeper() { Stop(); }

  void Start() ABSL_LOCKS_EXCLUDED(mu_);
  // Joins the thread and saves the clock a last time. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Save();

  storage::SettingsStore& settings_;
  const std::function<absl::Time()> now_;
  JsonLog& log_;
  std::thread thread_;
  Mutex mu_;
  CondVar stop_;  // signalled when stopping_ is set
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

// Where a training county whose clock runs `scale` times real time
// resumes: the latest of the saved clock plus one save interval of its
// time, the newest stored event and `real_now`.
absl::StatusOr<absl::Time> ResumeTrainingClock(const storage::SettingsStore& settings,
                                               const storage::TicketStore& tickets,
                                               absl::Time real_now, double scale);

// A clock that reads `start` now and runs `scale` times faster than `real`.
std::function<absl::Time()> ScaledClock(absl::Time start, double scale,
                                        std::function<absl::Time()> real);

// Logs a warning naming both times when `now` is earlier than the newest
// event in the store. Returns whether it did.
bool WarnIfClockBehind(const storage::TicketStore& tickets, absl::Time now, JsonLog& log);

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_TRAINING_CLOCK_H_
