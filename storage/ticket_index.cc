#include "storage/ticket_index.h"

#include "base/time_convert.h"
#include "domain/accountability_records.h"
#include "domain/ticket_loop.h"
#include "storage/big_endian.h"
#include "storage/record.h"

namespace duban::storage {
namespace {

constexpr char kAll = 'a';
constexpr char kUnit = 'u';
constexpr char kStage = 's';
constexpr char kSeverity = 'v';
constexpr char kIndicator = 'i';
constexpr char kLocation = 'l';
constexpr char kParent = 'p';
constexpr char kInspectionUnit = 'n';
constexpr char kResponsible = 'w';
constexpr char kEscalation = 'e';
constexpr char kCharge = 'c';
constexpr char kAnswered = 'k';
constexpr char kEnded = 't';

std::string NamePrefix(char tag, absl::string_view name) {
  std::string prefix(1, tag);
  prefix.append(name.data(), name.size());
  prefix.push_back('\0');
  return prefix;
}

std::string BytePrefix(char tag, int value) {
  std::string prefix(1, tag);
  prefix.push_back(static_cast<char>(value));
  return prefix;
}

// The filter fields of a ticket: what an index value holds.
v1::Ticket Summary(const v1::Ticket& ticket) {
  v1::Ticket summary;
  summary.set_stage(ticket.stage());
  summary.set_severity(ticket.severity());
  summary.set_lead_unit(ticket.lead_unit());
  *summary.mutable_cooperating_units() = ticket.cooperating_units();
  summary.set_indicator(ticket.indicator());
  summary.set_location(ticket.location());
  summary.set_parent(ticket.parent());
  summary.set_card(ticket.card());
  summary.set_holder_unit(ticket.holder_unit());
  summary.set_inspection_unit(ticket.inspection_unit());
  summary.set_responsible_principal(ticket.responsible_principal());
  if (ticket.has_stage_due_time()) *summary.mutable_stage_due_time() = ticket.stage_due_time();
  return summary;
}

// The summary with what the county report reads besides: when the ticket
// was made and entered its stage (the 's' and 't' entries).
v1::Ticket ReportSummary(const v1::Ticket& ticket, v1::Ticket summary) {
  if (ticket.has_stage_enter_time()) *summary.mutable_stage_enter_time() = ticket.stage_enter_time();
  if (ticket.has_create_time()) *summary.mutable_create_time() = ticket.create_time();
  return summary;
}

std::string TimeOrder(absl::Time time) {
  std::string bytes;
  AppendBigEndian64(bytes, DueOrder(time));
  return bytes;
}

// The accountability entries of a ticket: its charges, and, once it is
// closed or cancelled, its ended entry and (closed) its answerers.
void AddAccountabilityEntries(uint64_t id, const v1::Ticket& ticket, const v1::Ticket& summary,
                              std::vector<IndexEntry>& entries) {
  std::string id_bytes;
  AppendBigEndian64(id_bytes, id);
  for (int position = 0; position < ticket.escalations_size(); ++position) {
    const v1::EscalationRecord& escalation = ticket.escalations(position);
    const std::string value = EncodeRecord(escalation);
    std::string suffix = TimeOrder(FromTimestamp(escalation.fire_time()));
    for (int shift = 24; shift >= 0; shift -= 8) {
      suffix.push_back(static_cast<char>((position >> shift) & 0xff));
    }
    suffix += id_bytes;
    for (const std::string& subject : ChargedSubjects(ticket, escalation)) {
      entries.push_back({NamePrefix(kCharge, subject) + suffix, value});
    }
  }
  if (!IsTerminal(ticket.stage())) return;
  const std::string ended = TimeOrder(FromTimestamp(ticket.stage_enter_time())) + id_bytes;
  v1::Ticket ended_value = ReportSummary(ticket, summary);
  for (const v1::EscalationRecord& escalation : ticket.escalations()) {
    v1::EscalationRecord& kept = *ended_value.add_escalations();
    kept.set_level(escalation.level());
    kept.set_holder_unit(escalation.holder_unit());
  }
  entries.push_back({std::string(1, kEnded) + ended, EncodeRecord(ended_value)});
  if (ticket.stage() != v1::STAGE_CLOSED) return;
  for (const Answerer& answerer : AnswerersOf(ticket)) {
    entries.push_back(
        {NamePrefix(kAnswered, answerer.subject) + ended, EncodeRecord(answerer.worst_slip)});
  }
}

KeyRange TimeRange(char tag, absl::string_view subject, absl::Time start, absl::Time end) {
  KeyRange range;
  range.prefix = NamePrefix(tag, subject);
  range.start = range.prefix + TimeOrder(start);
  range.limit = range.prefix + TimeOrder(end);
  return range;
}

}  // namespace

uint64_t DueOrder(absl::Time time) {
  return static_cast<uint64_t>(absl::ToUnixMicros(time)) ^ (uint64_t{1} << 63);
}

uint64_t DueOrder(const v1::Ticket& ticket) {
  if (IsTerminal(ticket.stage()) || !IsSet(ticket.stage_due_time())) return kNoDue;
  return DueOrder(FromTimestamp(ticket.stage_due_time()));
}

std::vector<IndexEntry> TicketIndexEntries(uint64_t id, const v1::Ticket& ticket) {
  std::vector<std::string> prefixes = {std::string(1, kAll),
                                       BytePrefix(kSeverity, ticket.severity()),
                                       NamePrefix(kUnit, ticket.lead_unit())};
  for (const std::string& unit : ticket.cooperating_units()) {
    prefixes.push_back(NamePrefix(kUnit, unit));
  }
  if (!ticket.indicator().empty()) prefixes.push_back(NamePrefix(kIndicator, ticket.indicator()));
  if (!ticket.location().empty()) prefixes.push_back(NamePrefix(kLocation, ticket.location()));
  if (!ticket.inspection_unit().empty()) {
    prefixes.push_back(NamePrefix(kInspectionUnit, ticket.inspection_unit()));
  }
  if (!ticket.responsible_principal().empty()) {
    prefixes.push_back(NamePrefix(kResponsible, ticket.responsible_principal()));
  }

  std::string suffix;
  AppendBigEndian64(suffix, DueOrder(ticket));
  AppendBigEndian64(suffix, id);

  const v1::Ticket summary = Summary(ticket);
  const std::string value = EncodeRecord(summary);
  std::vector<IndexEntry> entries;
  entries.reserve(prefixes.size() + 1);
  for (std::string& prefix : prefixes) {
    entries.push_back({std::move(prefix) + suffix, value});
  }
  // The report reads the open tickets by stage.
  entries.push_back({BytePrefix(kStage, ticket.stage()) + suffix,
                     EncodeRecord(ReportSummary(ticket, summary))});
  if (!ticket.parent().empty()) {
    // Only the roll-up reads progress: a progress report rewrites this
    // entry alone.
    v1::Ticket child = summary;
    child.set_progress_percent(ticket.progress_percent());
    entries.push_back({NamePrefix(kParent, ticket.parent()) + suffix, EncodeRecord(child)});
  }
  if (IsSet(ticket.next_escalation_time())) {
    std::string key(1, kEscalation);
    AppendBigEndian64(key, DueOrder(FromTimestamp(ticket.next_escalation_time())));
    AppendBigEndian64(key, id);
    entries.push_back({std::move(key), value});
  }
  AddAccountabilityEntries(id, ticket, summary, entries);
  return entries;
}

KeyRange ChargeRange(absl::string_view subject, absl::Time start, absl::Time end) {
  return TimeRange(kCharge, subject, start, end);
}

KeyRange AnsweredRange(absl::string_view subject, absl::Time start, absl::Time end) {
  return TimeRange(kAnswered, subject, start, end);
}

std::string EndedPrefix() { return std::string(1, kEnded); }

std::string EndedStart(absl::Time start) { return EndedPrefix() + TimeOrder(start); }

std::string StagePrefix(v1::Stage stage) { return BytePrefix(kStage, stage); }

std::string IndexPrefixFor(const TicketQuery& query) {
  if (!query.parent.empty()) return NamePrefix(kParent, query.parent);
  if (!query.responsible_principal.empty()) {
    return NamePrefix(kResponsible, query.responsible_principal);
  }
  if (!query.inspection_unit.empty()) return NamePrefix(kInspectionUnit, query.inspection_unit);
  if (!query.location.empty()) return NamePrefix(kLocation, query.location);
  if (!query.indicator.empty()) return NamePrefix(kIndicator, query.indicator);
  if (!query.unit.empty()) return NamePrefix(kUnit, query.unit);
  if (query.stage != v1::STAGE_UNSPECIFIED) return BytePrefix(kStage, query.stage);
  if (query.severity != v1::SEVERITY_UNSPECIFIED) return BytePrefix(kSeverity, query.severity);
  return std::string(1, kAll);
}

std::string ChildrenPrefix(absl::string_view parent_name) {
  return NamePrefix(kParent, parent_name);
}

std::string EscalationPrefix() { return std::string(1, kEscalation); }

absl::Time TimeOfDueOrder(uint64_t order) {
  return absl::FromUnixMicros(static_cast<int64_t>(order ^ (uint64_t{1} << 63)));
}

uint64_t IndexKeyTicketId(absl::string_view key) { return ReadBigEndian64(key, key.size() - 8); }
uint64_t IndexKeyDue(absl::string_view key) { return ReadBigEndian64(key, key.size() - 16); }

}  // namespace duban::storage
