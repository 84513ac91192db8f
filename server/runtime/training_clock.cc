#include "server/runtime/training_clock.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace duban {

absl::StatusOr<absl::Time> ResumeTrainingClock(const storage::SettingsStore& settings,
                                               const storage::TicketStore& tickets,
                                               absl::Time real_now, double scale) {
  ASSIGN_OR_RETURN(absl::Time newest_event, tickets.NewestEventTime());
  // What ran after the last save is at most one interval of real time.
  const absl::Time saved = settings.training_clock() + TrainingClockKeeper::kSaveEvery * scale;
  return absl::FromUnixMicros(absl::ToUnixMicros(std::max({saved, newest_event, real_now})));
}

void TrainingClockKeeper::Start() {
  MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] {
    while (true) {
      {
        MutexLock lock(&mu_);
        const absl::Time deadline = absl::Now() + kSaveEvery;
        while (!stopping_ && !stop_.WaitWithDeadline(&mu_, deadline)) {
        }
        if (stopping_) return;
      }
      Save();
    }
  });
}

void TrainingClockKeeper::Stop() {
  {
    MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    stop_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
  Save();
}

void TrainingClockKeeper::Save() {
  if (absl::Status saved = settings_.SaveTrainingClock(now_()); !saved.ok()) {
    log_.Write(LogLevel::kWarning,
               absl::StrCat("cannot save the training clock: ", saved.ToString()));
  }
}

std::function<absl::Time()> ScaledClock(absl::Time start, double scale,
                                        std::function<absl::Time()> real) {
  const absl::Time real_start = real();
  return [start, scale, real_start, real = std::move(real)] {
    return start + (real() - real_start) * scale;
  };
}

bool WarnIfClockBehind(const storage::TicketStore& tickets, absl::Time now, JsonLog& log) {
  absl::StatusOr<absl::Time> newest = tickets.NewestEventTime();
  if (!newest.ok() || now >= *newest) return false;
  const std::string now_text = absl::FormatTime(absl::RFC3339_full, now, absl::UTCTimeZone());
  const std::string newest_text =
      absl::FormatTime(absl::RFC3339_full, *newest, absl::UTCTimeZone());
  log.Write(LogLevel::kWarning,
            absl::StrCat("the clock reads ", now_text, ", earlier than the newest event in the "
                         "store (", newest_text, "): new events would be dated before old ones; "
                         "check the system clock"),
            {{"now", now_text}, {"newest_event", newest_text}});
  return true;
}

}  // namespace duban
