// EscalationScheduler: duband's built-in sweeper. A thread that sleeps until
// the earliest pending escalation (one seek in the escalation index — it
// never scans the store), sweeps, and sleeps again; a write that schedules
// an earlier escalation wakes it.
//
//   EscalationScheduler scheduler(&backend, &sweeper);
//   scheduler.Start();
//   tickets->set_escalation_listener([&](absl::Time t) { scheduler.Nudge(t); });
//   ...
//   scheduler.Stop();
//
// Thread-safe.
#ifndef DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_
#define DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "server/runtime/backend.h"
#include "server/runtime/escalation_sweeper.h"

namespace duban {

class EscalationScheduler {
 public:
  // Neither is owned; both must outlive the scheduler.
  EscalationScheduler(const Backend* backend, const EscalationSweeper* sweeper)
      : backend_(*backend), sweeper_(*sweeper) {}
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
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                        // GUARDED_BY(mutex_)
  bool woken_ = false;                           // GUARDED_BY(mutex_)
  absl::Time planned_ = absl::InfiniteFuture();  // GUARDED_BY(mutex_)
  int64_t sweeps_ = 0;                           // GUARDED_BY(mutex_)
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_ESCALATION_SCHEDULER_H_
