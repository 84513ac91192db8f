#include "domain/deadlines.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/loop_steps.h"

namespace duban {
namespace {

constexpr int kMaxWorkingDays = 366 * 3;
constexpr int kMaxHours = 24 * 366;

}  // namespace

Deadline WorkingDaysFromNow(const LoopContext& context, int days) {
  const WorkCalendar& calendar = *context.calendar;
  WorkingDayCount count =
      calendar.Count(absl::ToCivilDay(context.now, calendar.zone()), std::max(days, 1));
  Deadline deadline;
  deadline.time = calendar.EndOf(count.day);
  deadline.basis.set_calendar_version(calendar.version());
  deadline.basis.set_working_days(days);
  *deadline.basis.mutable_counted_from() = ToTimestamp(context.now);
  deadline.basis.set_weekends_only(count.weekends_only);
  return deadline;
}

Deadline StoredDeadline(const google::protobuf::Timestamp& time, const v1::DeadlineBasis& basis) {
  Deadline deadline;
  if (IsSet(time)) deadline.time = FromTimestamp(time);
  deadline.basis = basis;
  return deadline;
}

absl::StatusOr<std::optional<Deadline>> ResolveDeadline(absl::string_view field,
                                                        const google::protobuf::Timestamp& at,
                                                        absl::string_view span_field,
                                                        const v1::DeadlineSpan& in,
                                                        const LoopContext& context) {
  const bool has_span = IsGiven(in);
  if (IsSet(at) && has_span) {
    return InvalidField(span_field, absl::StrCat("cannot be given with ", field));
  }
  if (has_span) {
    if ((in.working_days() != 0) == (in.hours() != 0)) {
      return InvalidField(span_field, "must give either working_days or hours");
    }
    if (in.working_days() < 0 || in.working_days() > kMaxWorkingDays) {
      return InvalidField(absl::StrCat(span_field, ".working_days"),
                          absl::StrCat("must be between 1 and ", kMaxWorkingDays));
    }
    if (in.hours() < 0 || in.hours() > kMaxHours) {
      return InvalidField(absl::StrCat(span_field, ".hours"),
                          absl::StrCat("must be between 1 and ", kMaxHours));
    }
    if (in.working_days() > 0) return WorkingDaysFromNow(context, in.working_days());
    Deadline deadline;
    deadline.time = context.now + absl::Hours(in.hours());
    deadline.basis.set_hours(in.hours());
    *deadline.basis.mutable_counted_from() = ToTimestamp(context.now);
    return deadline;
  }
  if (!IsSet(at)) return std::nullopt;
  FieldViolations violations;
  CheckDeadline(violations, field, at, context.now, true);
  RETURN_IF_ERROR(violations.ToStatus());
  return StoredDeadline(at, v1::DeadlineBasis());
}

}  // namespace duban
