// Deadlines as people give them — a time, N working days, N hours — turned
// into an instant with the basis that explains it.
//
//   ASSIGN_OR_RETURN(std::optional<Deadline> due,
//       ResolveDeadline("ticket.due_time", request.ticket().due_time(), request.due_in(),
//                       context));
//   Deadline plan = WorkingDaysFromNow(context, clocks.plan_days());
#ifndef DUBAN_DOMAIN_DEADLINES_H_
#define DUBAN_DOMAIN_DEADLINES_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/loop_context.h"
#include "duban/v1/ticket.pb.h"
#include "duban/v1/ticket_service.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace duban {

struct Deadline {
  absl::Time time = absl::InfinitePast();  // InfinitePast: no deadline
  v1::DeadlineBasis basis;

  bool set() const { return time != absl::InfinitePast(); }
};

inline Deadline NoDeadline() { return Deadline{}; }

// The end (24:00 local) of the `days`th working day after today.
Deadline WorkingDaysFromNow(const LoopContext& context, int days);

// A deadline as stored on a ticket: its time and basis.
Deadline StoredDeadline(const google::protobuf::Timestamp& time, const v1::DeadlineBasis& basis);

// True when the span names an amount (an empty or all-zero span gives none).
inline bool IsGiven(const v1::DeadlineSpan& span) {
  return span.working_days() != 0 || span.hours() != 0;
}

// The deadline a request gives either as a time (`at`) or as a span (`in`):
// nullopt when it gives neither. INVALID_ARGUMENT naming `field` (or
// `span_field`) for both at once, a span other than exactly one positive
// unit, or a deadline not in the future or more than 5 years ahead.
absl::StatusOr<std::optional<Deadline>> ResolveDeadline(absl::string_view field,
                                                        const google::protobuf::Timestamp& at,
                                                        absl::string_view span_field,
                                                        const v1::DeadlineSpan& in,
                                                        const LoopContext& context);

}  // namespace duban

#endif  // DUBAN_DOMAIN_DEADLINES_H_
