// What the organization department reads: the accountability record of a
// unit or a principal, and the fair clocks of a ticket (who held it, and on
// whose watch each deadline slipped).
//
//   v1::AccountabilityRecord record = UnitRecord("units/nongye", tickets, referrals);
//   v1::TicketClocks clocks = TicketClocksOf(ticket, events, calendar, now);
#ifndef DUBAN_SERVER_DOMAIN_ACCOUNTABILITY_RECORDS_H_
#define DUBAN_SERVER_DOMAIN_ACCOUNTABILITY_RECORDS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/ticket.pb.h"
#include "server/domain/work_calendar.h"

namespace duban {

// The record of `unit` from the tickets it led or inspected and the
// referrals naming it. A closed ticket counts as on time when no YELLOW or
// worse was charged to the unit on it: a late review by an inspector is the
// inspection unit's slip, not the department's.
v1::AccountabilityRecord UnitRecord(absl::string_view unit, const std::vector<v1::Ticket>& tickets,
                                    const std::vector<v1::Referral>& referrals);

// The record of `principal` from the tickets it signed for and the
// referrals naming it; slips count when charged to the ticket's lead unit.
v1::AccountabilityRecord PrincipalRecord(absl::string_view principal,
                                         const std::vector<v1::Ticket>& tickets,
                                         const std::vector<v1::Referral>& referrals);

// Holding intervals from the ticket's events (each event says who holds the
// ticket from then on), working days per holder counted on `calendar`, and
// the slips from its escalation records. The last interval runs to `now`
// unless the ticket is closed or cancelled.
v1::TicketClocks TicketClocksOf(const v1::Ticket& ticket,
                                const std::vector<v1::TicketEvent>& events,
                                const WorkCalendar& calendar, absl::Time now);

}  // namespace duban

#endif  // DUBAN_SERVER_DOMAIN_ACCOUNTABILITY_RECORDS_H_
