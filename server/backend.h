// Backend: what the RPC services stand on — the stores, the calendar, the
// stage clocks and the clock — owned by DubanServer and shared by the
// services.
#ifndef DUBAN_SERVER_BACKEND_H_
#define DUBAN_SERVER_BACKEND_H_

#include <functional>

#include "absl/time/time.h"
#include "server/authenticator.h"
#include "server/domain/loop_context.h"
#include "server/domain/work_calendar.h"
#include "storage/directory_store.h"
#include "storage/ticket_store.h"

namespace duban {

struct Backend {
  storage::TicketStore* tickets = nullptr;
  storage::DirectoryStore* directory = nullptr;
  const WorkCalendar* calendar = nullptr;
  StageClocks clocks;
  // The time now; tests replace it to move the clock.
  std::function<absl::Time()> now;
  const Authenticator* authenticator = nullptr;

  // The loop context of a call by `caller`, at the current time truncated to
  // microseconds (the precision of stored times).
  LoopContext ContextFor(const Caller& caller) const;
};

}  // namespace duban

#endif  // DUBAN_SERVER_BACKEND_H_
