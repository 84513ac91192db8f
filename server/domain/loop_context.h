// LoopContext: everything a step of the loop needs besides the ticket and
// the request: who acts, when, on which calendar, with which stage clocks.
//
//   LoopContext context{.caller = caller, .now = absl::Now(),
//                       .calendar = &calendar, .units = &directory};
//   ASSIGN_OR_RETURN(TicketChange change, Apply(ticket, request, context));
#ifndef DUBAN_SERVER_DOMAIN_LOOP_CONTEXT_H_
#define DUBAN_SERVER_DOMAIN_LOOP_CONTEXT_H_

#include "absl/time/time.h"
#include "server/domain/caller.h"
#include "server/domain/unit_directory.h"
#include "server/domain/work_calendar.h"

namespace duban {

// Default stage clocks, in working days (PRODUCT.md, "Deadlines"). The
// implementation clock is the issuer's `due_time`.
struct StageClocks {
  int sign_for_days = 1;
  int inspect_days = 3;
  int plan_days = 2;
  int rectify_days = 10;
};

struct LoopContext {
  Caller caller;
  absl::Time now;
  // Not owned; must outlive the call.
  const WorkCalendar* calendar = nullptr;
  StageClocks clocks;
  // Not owned; must outlive the call.
  const UnitDirectory* units = nullptr;
};

}  // namespace duban

#endif  // DUBAN_SERVER_DOMAIN_LOOP_CONTEXT_H_
