#include "server/runtime/backend.h"

#include "domain/ledger.h"
#include "domain/referrals.h"

namespace duban {

CallContext Backend::ContextFor(const Caller& caller) const {
  CallContext context;
  context.calendar = settings->calendar();
  context.policy = settings->policy();
  context.ledger_policy = settings->ledger_policy();
  LoopContext& loop = context.loop;
  loop.caller = caller;
  loop.now = Now();
  loop.calendar = context.calendar.get();
  loop.policy = context.policy.get();
  loop.units = directory;
  storage::TicketStore* store = tickets;
  loop.new_referral_name = [store] { return ReferralName(store->NewReferralId()); };
  loop.indicators = directory;
  loop.ledger_policy = context.ledger_policy.get();
  storage::LedgerStore* entries = ledger;
  loop.new_ledger_entry_name = [entries] { return LedgerEntryName(entries->NewEntryId()); };
  return context;
}

absl::Time Backend::Now() const { return absl::FromUnixMicros(absl::ToUnixMicros(now())); }

absl::Time Backend::WallNow() const {
  if (!wall_now) return Now();
  return absl::FromUnixMicros(absl::ToUnixMicros(wall_now()));
}

}  // namespace duban
