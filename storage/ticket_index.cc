#include "storage/ticket_index.h"

#include "server/domain/ticket_loop.h"
#include "server/domain/time_convert.h"
#include "storage/keys.h"

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

}  // namespace

uint64_t DueOrder(absl::Time time) {
  return static_cast<uint64_t>(absl::ToUnixMicros(time)) ^ (uint64_t{1} << 63);
}

uint64_t DueOrder(const v1::Ticket& ticket) {
  if (IsTerminal(ticket.stage()) || !IsSet(ticket.stage_due_time())) return kNoDue;
  return DueOrder(FromTimestamp(ticket.stage_due_time()));
}

std::vector<IndexEntry> TicketIndexEntries(uint64_t id, const v1::Ticket& ticket) {
  std::vector<std::string> prefixes = {std::string(1, kAll), BytePrefix(kStage, ticket.stage()),
                                       BytePrefix(kSeverity, ticket.severity()),
                                       NamePrefix(kUnit, ticket.lead_unit())};
  for (const std::string& unit : ticket.cooperating_units()) {
    prefixes.push_back(NamePrefix(kUnit, unit));
  }
  if (!ticket.indicator().empty()) prefixes.push_back(NamePrefix(kIndicator, ticket.indicator()));
  if (!ticket.location().empty()) prefixes.push_back(NamePrefix(kLocation, ticket.location()));
  if (!ticket.parent().empty()) prefixes.push_back(NamePrefix(kParent, ticket.parent()));
  if (!ticket.inspection_unit().empty()) {
    prefixes.push_back(NamePrefix(kInspectionUnit, ticket.inspection_unit()));
  }
  if (!ticket.responsible_principal().empty()) {
    prefixes.push_back(NamePrefix(kResponsible, ticket.responsible_principal()));
  }

  std::string suffix;
  AppendBigEndian64(suffix, DueOrder(ticket));
  AppendBigEndian64(suffix, id);

  const std::string value = EncodeRecord(Summary(ticket));
  std::vector<IndexEntry> entries;
  entries.reserve(prefixes.size() + 1);
  for (std::string& prefix : prefixes) {
    entries.push_back({std::move(prefix) + suffix, value});
  }
  if (IsSet(ticket.next_escalation_time())) {
    std::string key(1, kEscalation);
    AppendBigEndian64(key, DueOrder(FromTimestamp(ticket.next_escalation_time())));
    AppendBigEndian64(key, id);
    entries.push_back({std::move(key), value});
  }
  return entries;
}

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
