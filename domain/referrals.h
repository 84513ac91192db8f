// Accountability referrals (问责线索): making one when the ladder reaches
// REFERRAL or a hard flaw is filed, and recording the discipline
// commission's disposition.
//
//   v1::Referral referral = NewReferral(ticket, v1::REFERRAL_TRIGGER_LADDER, name, 7, now);
//   RETURN_IF_ERROR(Validate(request, context));
//   ASSIGN_OR_RETURN(TicketChange change, Apply(ticket, referral, request, context));
#ifndef DUBAN_DOMAIN_REFERRALS_H_
#define DUBAN_DOMAIN_REFERRALS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/loop_context.h"
#include "domain/ticket_loop.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/accountability_service.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

inline constexpr absl::string_view kReferralsPrefix = "referrals/";

// A referral about `ticket` as it stands: the unit holding it (the lead unit
// for a hard flaw), the principal who signed for it when that unit is the
// lead unit, the stage and its deadline, and the trail up to event
// `trail_until_sequence`.
v1::Referral NewReferral(const v1::Ticket& ticket, v1::ReferralTrigger trigger, std::string name,
                         int64_t trail_until_sequence, absl::Time now);

// Fields of a decision: name, kind, a reason.
[[nodiscard]] absl::Status Validate(const v1::DecideReferralRequest& request,
                                    const LoopContext& context);

// Records the disposition on `referral` (of `ticket`), checking its etag:
// the referral updated, and a REFERRAL_DECIDED event on the ticket.
absl::StatusOr<TicketChange> Apply(const v1::Ticket& ticket, const v1::Referral& referral,
                                   const v1::DecideReferralRequest& request,
                                   const LoopContext& context);

// Which referrals a ListReferrals call asks for.
struct ReferralQuery {
  std::string unit;
  std::string principal;
  std::string ticket;
  // Unset: either; false: no disposition yet; true: decided.
  std::optional<bool> decided;

  bool Matches(const v1::Referral& referral) const;
  std::string Canonical() const;
};

// Terms joined by AND: unit=units/ID, principal=principals/ID,
// ticket=tickets/ID, decided=true|false.
absl::StatusOr<ReferralQuery> ParseReferralQuery(absl::string_view filter);

// `referrals/{n}` → n; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<uint64_t> ParseReferralName(absl::string_view name, absl::string_view field);
std::string ReferralName(uint64_t id);

}  // namespace duban

#endif  // DUBAN_DOMAIN_REFERRALS_H_
