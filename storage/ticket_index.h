// Secondary indexes of tickets (column family `ticket_index`), all derived
// from the ticket alone (TicketIndexEntries): a write stages the entries
// that differ from the ticket's previous ones.
//
// Ticket indexes order their tickets by stage due time, so "what is due
// before T" and "the next page of unit X's tickets" are range scans. Key:
//
//   tag (1 byte) | dimension | due (8 BE) | ticket id (8 BE)
//
//   tag  dimension                      one entry per
//   'a'  (none)                         ticket
//   'u'  unit name, then 0x00           lead unit and each cooperating unit
//   's'  stage number (1 byte)          ticket
//   'v'  severity number (1 byte)       ticket
//   'i'  indicator name, then 0x00      ticket with an indicator
//   'l'  location name, then 0x00       ticket with a location
//   'p'  parent name, then 0x00         ticket with a parent
//   'n'  inspection unit, then 0x00     ticket with an inspection unit
//   'w'  responsible principal, 0x00    ticket someone signed for
//   'e'  (none)                         ticket with an escalation pending;
//                                       `due` is then next_escalation_time
//
// `due` is the stage due time in microseconds since the epoch with the sign
// bit flipped (so negative times sort first), or all ones for a ticket with
// no stage clock (terminal stages), which therefore sorts last.
//
// Value: record(Ticket) holding only the fields a filter, a roll-up or the
// county report looks at (the summary: stage, severity, units, indicator,
// location, parent, card, holder unit, stage due time); an 's' entry also
// holds the creation and stage entry times (the report reads open tickets
// by stage), a 'p' entry the progress (for the roll-up).
//
// Accountability indexes (records and the county report by period; the
// subjects and slips are the domain's: accountability_records.h). Times
// are ordered as `due` is:
//
//   'c' | subject, 0x00 | fire time (8 BE) | position (4 BE) | ticket id (8 BE)
//        one per escalation charged to a subject (a unit or a principal);
//        position is the escalation's place in Ticket.escalations.
//        Value: record(EscalationRecord).
//   'k' | subject, 0x00 | close time (8 BE) | ticket id (8 BE)
//        one per subject answering for a closed ticket.
//        Value: record(Slip), the worst slip charged to the subject on it
//        (level UNSPECIFIED: closed on time for it).
//   't' | end time (8 BE) | ticket id (8 BE)
//        one per closed or cancelled ticket, by when it ended.
//        Value: the summary with the creation and stage entry times, and
//        the ticket's escalations (level and holder unit only).
//
// Every key ends with the ticket id.
#ifndef DUBAN_STORAGE_TICKET_INDEX_H_
#define DUBAN_STORAGE_TICKET_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "domain/ticket_query.h"
#include "duban/v1/ticket.pb.h"

namespace duban::storage {

struct IndexEntry {
  std::string key;
  std::string value;
};

// All index entries of ticket `id`.
std::vector<IndexEntry> TicketIndexEntries(uint64_t id, const v1::Ticket& ticket);

// The key range of `subject`'s charges fired in [start, end), and of the
// tickets it answers for closed in [start, end).
struct KeyRange {
  std::string prefix;
  std::string start;
  std::string limit;  // exclusive
};
KeyRange ChargeRange(absl::string_view subject, absl::Time start, absl::Time end);
KeyRange AnsweredRange(absl::string_view subject, absl::Time start, absl::Time end);
// The prefix of closed and cancelled tickets, and the first key of those
// that ended at or after `start`.
std::string EndedPrefix();
std::string EndedStart(absl::Time start);
// The prefix of the tickets in stage `stage`.
std::string StagePrefix(v1::Stage stage);

// The ordering value of a due time (see above); kNoDue for none.
inline constexpr uint64_t kNoDue = ~uint64_t{0};
uint64_t DueOrder(const v1::Ticket& ticket);
uint64_t DueOrder(absl::Time time);

// The key prefix of the index a query scans: the most selective dimension
// it names, or the whole-store index.
std::string IndexPrefixFor(const TicketQuery& query);

// The key prefix of the sub-tickets of `parent_name`.
std::string ChildrenPrefix(absl::string_view parent_name);
// The key prefix of the escalation index.
std::string EscalationPrefix();
// The time a due ordering value stands for (inverse of DueOrder(absl::Time)).
absl::Time TimeOfDueOrder(uint64_t order);

// Decoding of an index key: valid for keys made by TicketIndexEntries.
uint64_t IndexKeyTicketId(absl::string_view key);
uint64_t IndexKeyDue(absl::string_view key);

}  // namespace duban::storage

#endif  // DUBAN_STORAGE_TICKET_INDEX_H_
