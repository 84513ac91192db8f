// CalendarWatch: makes sure a missing calendar year never goes unnoticed.
// At start, at every local midnight of the server's clock, and whenever a
// calendar is loaded (Refresh), it checks the calendar (CalendarStatusOf):
// each warning is logged at start, again every day while it holds, and
// when it first appears; the "duban.calendar" health check is set to
// NOT_SERVING with the warnings as its detail while there are any.
//
//   CalendarWatch watch(&backend, &health, log.get());
//   watch.Start();
//   settings->set_calendar_listener([&] { watch.Refresh(); });
//   ...
//   watch.Stop();
//
// Thread-safe: mu_ guards the thread's stop flag; check_mu_ makes checks run
// one at a time and guards what was last logged.
#ifndef DUBAN_SERVER_RUNTIME_CALENDAR_WATCH_H_
#define DUBAN_SERVER_RUNTIME_CALENDAR_WATCH_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "base/mutex.h"
#include "absl/time/civil_time.h"
#include "duban/v1/calendar.pb.h"
#include "server/runtime/backend.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_health.h"

namespace duban {

class CalendarWatch {
 public:
  // None is owned; all must outlive the watch.
  CalendarWatch(const Backend* backend, ServerHealth* health, JsonLog* log)
      : backend_(*backend), health_(*health), log_(*log) {}
  CalendarWatch(const CalendarWatch&) = delete;
  CalendarWatch& operator=(const CalendarWatch&) = delete;
  ~CalendarWatch() { Stop(); }

  // Checks now, then starts the thread that checks every day.
  void Start();
  // Joins the thread. Idempotent.
  void Stop();
  // Checks again now, on the caller's thread (a calendar was loaded).
  void Refresh();

 private:
  void Run();
  // Checks the calendar, logs what is due to be logged, sets the health
  // check.
  void Check() ABSL_LOCKS_EXCLUDED(check_mu_, mu_);

  const Backend& backend_;
  ServerHealth& health_;
  JsonLog& log_;
  std::thread thread_;
  Mutex mu_;
  CondVar stop_;  // signalled when stopping_ is set
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Held through a whole check.
  Mutex check_mu_;
  // What was last logged, on which local day, and when in real time.
  std::vector<std::string> logged_ ABSL_GUARDED_BY(check_mu_);
  absl::CivilDay logged_day_ ABSL_GUARDED_BY(check_mu_);
  absl::Time logged_at_ ABSL_GUARDED_BY(check_mu_) = absl::InfinitePast();
};

}  // namespace duban

#endif  // DUBAN_SERVER_RUNTIME_CALENDAR_WATCH_H_
