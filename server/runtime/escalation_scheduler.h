// EscalationScheduler: duband's built-in sweeper. A thread that sleeps until
// the earliest pending escalation (one seek in the escalation index — it
// never scans the store), sweeps, and sleeps again; a write that schedules
// an earlier escalation wakes it.
//
//   EscalationScheduler scheduler(&backend, &sweeper, log.get());
//   scheduler.Start();
//   tickets->set_escalation_listener([&](absl::Time t) { scheduler.Nudge(t); });
//   ...
//   scheduler.Stop();
//
// Thread-safe.
#ifndef DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_
#define DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_

#include <cstdint>
#include <thread>

#include "absl/time/time.h"
#include "base/mutex.h"
#include "server/runtime/backend.h"
#include "server/runtime/escalation_sweeper.h"
#include "server/runtime/json_log.h"

namespace duban {

class EscalationScheduler {
 public:
  // None is owned; all must outlive the scheduler. A failed sweep, or a
  // failed look for the next escalation, is logged to `log` as an error.
  EscalationScheduler(const Backend* backend, const EscalationSweeper* sweeper, JsonLog* log)
      : backend_(*backend), sweeper_(*sweeper), log_(*log) {}
  EscalationScheduler(const EscalationScheduler&) = delete;
  EscalationScheduler& operator=(const EscalationScheduler&) = delete;
  ~EscalationScheduler() { Stop(); }

  void Start();
  // Finishes the sweep under way, if any, and joins the thread. Idempotent.
  void Stop();

  // Something will be due at `time`: wake early if that is sooner than the
  // planned wake-up.
  void Nudge(absl::Time time);
  // Look at the clock again now (a test moved it).
  void Wake();

  // Sweeps completed so far (for tests and metrics).
  int64_t sweeps() const;

 private:
  void Run();

  const Backend& backend_;
  const EscalationSweeper& sweeper_;
  JsonLog& log_;
  std::thread thread_;
  mutable Mutex mutex_;
  CondVar wake_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool woken_ ABSL_GUARDED_BY(mutex_) = false;
  absl::Time planned_ ABSL_GUARDED_BY(mutex_) = absl::InfiniteFuture();
  int64_t sweeps_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_
