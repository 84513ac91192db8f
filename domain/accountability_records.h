// What the organization department reads: the accountability record of a
// unit or a principal for a period, and the fair clocks of a ticket (who
// held it, and on whose watch each deadline slipped).
//
// A record is built from charges, never from who leads a ticket now: each
// escalation is charged to the unit that held the clock when it fired (and
// to the principal who had signed for the ticket, when that unit was the
// lead unit), so a slip stays on the record of whoever let it happen after
// the ticket is reassigned, disputed or reviewed by someone else.
//
//   RecordSources sources = ...;  // from the charge index (TicketStore::RecordSourcesOf)
//   v1::AccountabilityRecord record = BuildRecord("units/nongye", "2026", sources);
//   v1::TicketClocks clocks = TicketClocksOf(ticket, events, calendar, now);
#ifndef DUBAN_DOMAIN_ACCOUNTABILITY_RECORDS_H_
#define DUBAN_DOMAIN_ACCOUNTABILITY_RECORDS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/period.h"
#include "domain/unit_directory.h"
#include "domain/work_calendar.h"
#include "duban/v1/accountability.pb.h"
#include "duban/v1/accountability_service.pb.h"
#include "duban/v1/ticket.pb.h"

namespace duban {

// The subjects (`units/{id}`, `principals/{id}`) escalation `escalation` of
// `ticket` is charged to: the unit whose clock ran out, and the principal
// who had signed for the ticket when that unit was the lead unit. Records
// written before escalations named their principal (the field absent) fall
// back to the ticket's current signer for a lead-unit slip after sign-for.
std::vector<std::string> ChargedSubjects(const v1::Ticket& ticket,
                                         const v1::EscalationRecord& escalation);

// A subject that answers for a closed ticket's on-time record, with the
// worst slip (YELLOW or worse) charged to it on the ticket; the slip's level
// is UNSPECIFIED when none was: the ticket was closed on time for it.
struct Answerer {
  std::string subject;
  v1::Slip worst_slip;
};

// Who answers for `ticket` once it is closed: its lead unit, its inspection
// unit when it needed inspection, the principal who signed for it, and
// every subject charged an escalation on it (a unit that let a deadline
// slip and then lost the ticket to a reassignment still answers for it).
// Each subject once, in that order.
std::vector<Answerer> AnswerersOf(const v1::Ticket& ticket);

// What one subject's record in a period is made of.
struct RecordSources {
  // Escalations charged to the subject that fired in the period.
  std::vector<v1::EscalationRecord> charges;
  // Tickets the subject answers for that were closed in the period: the
  // worst slip charged to it on each (level UNSPECIFIED: on time).
  std::vector<v1::Slip> closed;
  // Referrals naming the subject (as the unit that answers, or as the
  // responsible principal) made in the period.
  std::vector<v1::Referral> referrals;
};

// The sources of `subject`'s record in `period`, from whole tickets and
// referrals: what the store's charge index gives without reading them
// (used where the tickets are at hand, and to check the index).
RecordSources RecordSourcesOf(absl::string_view subject, const Period& period,
                              const std::vector<v1::Ticket>& tickets,
                              const std::vector<v1::Referral>& referrals);

// The record of `subject` for `period`: referrals and the disposition that
// stands on each, tickets closed and closed on time, the on-time rate, and
// escalations by level.
v1::AccountabilityRecord BuildRecord(absl::string_view subject, absl::string_view period,
                                     const RecordSources& sources);

// Holding intervals from the ticket's events (each event says who holds the
// ticket from then on), working days per holder counted on `calendar`, and
// the slips from its escalation records. The last interval runs to `now`
// unless the ticket is closed or cancelled.
v1::TicketClocks TicketClocksOf(const v1::Ticket& ticket,
                                const std::vector<v1::TicketEvent>& events,
                                const WorkCalendar& calendar, absl::Time now);

// GetUnitRecord's subject: a unit of `units` (ValidateKnownUnit naming
// "unit").
[[nodiscard]] absl::Status Validate(const v1::GetUnitRecordRequest& request,
                                    const UnitDirectory& units);
// GetPrincipalRecord's subject: a principal name (INVALID_ARGUMENT naming
// "principal") for which `principal_exists` is true (NOT_FOUND with reason
// PRINCIPAL_NOT_FOUND, "no {name}", otherwise).
[[nodiscard]] absl::Status Validate(
    const v1::GetPrincipalRecordRequest& request,
    const std::function<bool(absl::string_view name)>& principal_exists);

}  // namespace duban

#endif  // DUBAN_DOMAIN_ACCOUNTABILITY_RECORDS_H_
