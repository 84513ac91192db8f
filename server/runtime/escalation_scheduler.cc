#include "server/runtime/escalation_scheduler.h"

#include "absl/strings/str_cat.h"

namespace duban {
namespace {

// The longest the scheduler sleeps without looking: a safety net against a
// wall clock that jumps, not a poll (it reads one index entry).
constexpr absl::Duration kLongestSleep = absl::Hours(1);
// After a failed sweep, wait this long before trying again.
constexpr absl::Duration kRetryAfterError = absl::Seconds(30);
constexpr int kTicketsPerSweep = 1000;

}  // namespace

void EscalationScheduler::Start() {
  MutexLock lock(&mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void EscalationScheduler::Stop() {
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

void EscalationScheduler::Nudge(absl::Time time) {
  MutexLock lock(&mutex_);
  if (time >= planned_) return;
  planned_ = time;
  woken_ = true;
  wake_.SignalAll();
}

void EscalationScheduler::Wake() {
  MutexLock lock(&mutex_);
  woken_ = true;
  wake_.SignalAll();
}

int64_t EscalationScheduler::sweeps() const {
  MutexLock lock(&mutex_);
  return sweeps_;
}

void EscalationScheduler::Run() {
  while (true) {
    {
      MutexLock lock(&mutex_);
      if (stopping_) return;
      woken_ = false;
      planned_ = absl::InfiniteFuture();
    }
    absl::Duration sleep = kLongestSleep;
    const absl::Time now = backend_.Now();
    absl::StatusOr<absl::Time> next = backend_.tickets->NextEscalationTime();
    if (!next.ok()) {
      log_.Write(LogLevel::kError, "escalation scheduler cannot find the next escalation",
                 {{"error", next.status().ToString()}});
      sleep = kRetryAfterError;
    } else if (*next <= now) {
      absl::StatusOr<v1::SweepResponse> swept =
          sweeper_.Sweep(SchedulerCaller(), now, /*dry_run=*/false, kTicketsPerSweep);
      {
        MutexLock lock(&mutex_);
        ++sweeps_;
      }
      if (swept.ok() && !swept->firings().empty()) continue;  // more may be due
      if (!swept.ok()) {
        log_.Write(LogLevel::kError, "escalation sweep failed",
                   {{"error", swept.status().ToString()}});
      }
      // Nothing fired though something looked due (the schedule moved): look
      // again shortly rather than spin.
      sleep = swept.ok() ? absl::Seconds(1) : kRetryAfterError;
    } else {
      sleep = std::min(sleep, *next - now);
    }
    MutexLock lock(&mutex_);
    if (next.ok()) planned_ = std::min(planned_, now + sleep);
    // `sleep` is in the server's time, which a training county runs faster.
    const absl::Time wake_at = absl::Now() + sleep / backend_.time_scale;
    while (!stopping_ && !woken_) {
      if (wake_.WaitWithDeadline(&mutex_, wake_at)) break;
    }
  }
}

}  // namespace duban
