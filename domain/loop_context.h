// LoopContext: everything a step of the loop needs besides the ticket and
// the request: who acts, when, on which calendar, under which policy.
//
//   LoopContext context{.caller = caller, .now = absl::Now(), .calendar = &calendar,
//                       .policy = &policy, .units = &directory};
//   ASSIGN_OR_RETURN(TicketChange change, Apply(ticket, request, context));
#ifndef DUBAN_DOMAIN_LOOP_CONTEXT_H_
#define DUBAN_DOMAIN_LOOP_CONTEXT_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "domain/caller.h"
#include "domain/indicator_catalog.h"
#include "domain/unit_directory.h"
#include "domain/work_calendar.h"
#include "duban/v1/escalation.pb.h"
#include "duban/v1/performance.pb.h"

namespace duban {

struct LoopContext {
  Caller caller;
  absl::Time now;
  // Not owned; must outlive the call.
  const WorkCalendar* calendar = nullptr;
  // Stage clocks and the escalation ladder. Not owned.
  const v1::EscalationPolicy* policy = nullptr;
  // Not owned; must outlive the call.
  const UnitDirectory* units = nullptr;
  // Names a new referral (`referrals/{id}`); called only when a step makes
  // one.
  std::function<std::string()> new_referral_name;
  // Performance indicators, and the ledger rules a step may trigger. Not
  // owned.
  const IndicatorCatalog* indicators = nullptr;
  const v1::LedgerPolicy* ledger_policy = nullptr;
  // Names a new ledger entry (`ledgerEntries/{id}`).
  std::function<std::string()> new_ledger_entry_name;

  const v1::StageClocks& clocks() const { return policy->stage_clocks(); }
};

}  // namespace duban

#endif  // DUBAN_DOMAIN_LOOP_CONTEXT_H_
