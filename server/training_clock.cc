#include "server/training_clock.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/domain/status_macros.h"

namespace duban {

absl::StatusOr<absl::Time> ResumeTrainingClock(const storage::SettingsStore& settings,
                                               const storage::TicketStore& tickets,
                                               absl::Time real_now) {
  ASSIGN_OR_RETURN(absl::Time newest_event, tickets.NewestEventTime());
  return std::max({settings.training_clock(), newest_event, real_now});
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
