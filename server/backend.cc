#include "server/backend.h"

#include "server/domain/referrals.h"

namespace duban {

CallContext Backend::ContextFor(const Caller& caller) const {
  CallContext context;
  context.calendar = settings->calendar();
  context.policy = settings->policy();
  LoopContext& loop = context.loop;
  loop.caller = caller;
  loop.now = Now();
  loop.calendar = context.calendar.get();
  loop.policy = context.policy.get();
  loop.units = directory;
  storage::TicketStore* store = tickets;
  loop.new_referral_name = [store] { return ReferralName(store->NewReferralId()); };
  return context;
}

absl::Time Backend::Now() const { return absl::FromUnixMicros(absl::ToUnixMicros(now())); }

}  // namespace duban
