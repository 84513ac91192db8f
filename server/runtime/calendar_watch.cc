#include "server/runtime/calendar_watch.h"

#include "absl/strings/str_join.h"
#include "domain/calendar_data.h"
#include "domain/calendar_status.h"

namespace duban {

void CalendarWatch::Start() {
  Check();
  MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void CalendarWatch::Stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    stop_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
}

void CalendarWatch::Refresh() { Check(); }

void CalendarWatch::Check() {
  // One check at a time: a load's Refresh and the daily check must not set
  // the health check out of order.
  MutexLock check(&check_mu_);
  const absl::Time now = backend_.Now();
  const absl::TimeZone zone = backend_.settings->calendar()->zone();
  const v1::CalendarStatus status = CalendarStatusOf(backend_.settings->calendar_data(),
                                                     ShippedCalendarYears(), now, zone);
  const std::vector<std::string> warnings(status.warnings().begin(), status.warnings().end());
  // Missing years make deadlines wrong; a shipped year not loaded is only
  // news.
  health_.Set(ServerHealth::kCalendar, status.missing_years().empty(),
              absl::StrJoin(warnings, "; "), now);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  // A training county's days pass in seconds: it repeats a warning at most
  // hourly, in real time.
  const absl::Duration least_gap =
      backend_.time_scale > 1 ? absl::Hours(1) : absl::ZeroDuration();
  const bool new_day = today != logged_day_ && absl::Now() - logged_at_ >= least_gap;
  if (warnings == logged_ && !new_day) return;
  logged_ = warnings;
  logged_day_ = today;
  logged_at_ = absl::Now();
  for (const std::string& warning : warnings) {
    log_.Write(LogLevel::kWarning, warning,
               {{"covered_until_year", int64_t{status.covered_until_year()}}});
  }
}

void CalendarWatch::Run() {
  while (true) {
    const absl::Time now = backend_.Now();
    const absl::TimeZone zone = backend_.settings->calendar()->zone();
    const absl::Time midnight = absl::FromCivil(absl::ToCivilDay(now, zone) + 1, zone);
    // The server's time runs faster in a training county.
    const absl::Duration sleep = (midnight - now) / backend_.time_scale;
    {
      MutexLock lock(&mu_);
      const absl::Time deadline = absl::Now() + sleep;
      while (!stopping_ && !stop_.WaitWithDeadline(&mu_, deadline)) {
      }
      if (stopping_) return;
    }
    Check();
  }
}

}  // namespace duban
