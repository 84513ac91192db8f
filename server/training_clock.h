// The server's clock against what the store already holds.
//
// A training county (duband --dev --time_scale N) runs its clock N times
// faster than real time. It resumes from where it stopped — the moment it
// had reached when the server last stopped (saved in the store) or the
// newest event in the store, whichever is later — so a restart never dates
// a new event before an old one. Any server, training or not, checks at
// start that its clock does not read earlier than the newest stored event:
// a wrong system clock must not go unnoticed.
//
//   ASSIGN_OR_RETURN(absl::Time resumed, ResumeTrainingClock(*settings, *tickets, real_now));
//   options.now = ScaledClock(resumed, scale, real_clock);
//   WarnIfClockBehind(*tickets, options.now(), *log);
#ifndef DUBAN_SERVER_TRAINING_CLOCK_H_
#define DUBAN_SERVER_TRAINING_CLOCK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/json_log.h"
#include "storage/settings_store.h"
#include "storage/ticket_store.h"

namespace duban {

// Where a training county's clock resumes: the latest of the saved
// training clock, the newest stored event and `real_now`.
absl::StatusOr<absl::Time> ResumeTrainingClock(const storage::SettingsStore& settings,
                                               const storage::TicketStore& tickets,
                                               absl::Time real_now);

// A clock that reads `start` now and runs `scale` times faster than `real`.
std::function<absl::Time()> ScaledClock(absl::Time start, double scale,
                                        std::function<absl::Time()> real);

// Logs a warning naming both times when `now` is earlier than the newest
// event in the store. Returns whether it did.
bool WarnIfClockBehind(const storage::TicketStore& tickets, absl::Time now, JsonLog& log);

}  // namespace duban

#endif  // DUBAN_SERVER_TRAINING_CLOCK_H_
