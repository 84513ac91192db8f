#include "domain/county_report.h"

#include <map>

#include "base/time_convert.h"
#include "domain/ticket_loop.h"

namespace duban {
namespace {

struct UnitData {
  std::string display_name;
  std::vector<const v1::Ticket*> led;
  const v1::AccountabilityRecord* record = nullptr;
  const v1::ScoreRow* score = nullptr;
};

bool HasSomething(const v1::AccountabilityRecord& record) {
  return record.referrals() > 0 || record.tickets_closed() > 0 || !record.escalations().empty();
}

// Adds `from` into `into`, entry by entry (by stage, card or kind).
template <typename Count, typename Key>
void Merge(google::protobuf::RepeatedPtrField<Count>& into,
           const google::protobuf::RepeatedPtrField<Count>& from, Key key) {
  for (const Count& item : from) {
    Count* found = nullptr;
    for (Count& existing : into) {
      if (key(existing) == key(item)) found = &existing;
    }
    if (found == nullptr) {
      *into.Add() = item;
    } else {
      found->set_count(found->count() + item.count());
    }
  }
}

v1::UnitReport Line(const std::string& unit, const UnitData& data, absl::Time as_of) {
  v1::UnitReport line;
  line.set_unit(unit);
  line.set_display_name(data.display_name);
  std::map<int, int> stages;
  std::map<int, int> cards;
  for (const v1::Ticket* led : data.led) {
    const v1::Ticket& ticket = *led;
    ++stages[ticket.stage()];
    if (IsTerminal(ticket.stage())) continue;
    line.set_open(line.open() + 1);
    if (IsSet(ticket.stage_due_time()) && FromTimestamp(ticket.stage_due_time()) < as_of) {
      line.set_overdue(line.overdue() + 1);
    }
    if (ticket.card() > v1::CARD_NONE) ++cards[ticket.card()];
  }
  for (const auto& [stage, count] : stages) {
    v1::StageCount& entry = *line.add_by_stage();
    entry.set_stage(static_cast<v1::Stage>(stage));
    entry.set_count(count);
  }
  for (const auto& [card, count] : cards) {
    v1::CardCount& entry = *line.add_cards();
    entry.set_card(static_cast<v1::Card>(card));
    entry.set_count(count);
  }
  if (data.record != nullptr) {
    const v1::AccountabilityRecord& record = *data.record;
    line.set_closed(record.tickets_closed());
    line.set_closed_on_time(record.tickets_closed_on_time());
    if (record.has_on_time_rate()) line.set_on_time_rate(record.on_time_rate());
    line.set_referrals(record.referrals());
    line.set_undecided_referrals(record.undecided_referrals());
    *line.mutable_dispositions() = record.dispositions();
  }
  if (data.score != nullptr) {
    line.set_score(data.score->score());
    line.set_veto_failed(data.score->veto_failed());
  }
  return line;
}

}  // namespace

v1::CountyReport BuildCountyReport(const CountyReportInputs& inputs) {
  std::map<std::string, UnitData> data;
  for (const v1::Unit& unit : inputs.units) {
    if (unit.kind() == v1::UNIT_KIND_DEPARTMENT || unit.kind() == v1::UNIT_KIND_TOWNSHIP) {
      data[unit.name()];
    }
  }
  for (const v1::Ticket& ticket : inputs.tickets) data[ticket.lead_unit()].led.push_back(&ticket);
  for (const auto& [unit, record] : inputs.records) {
    if (HasSomething(record) || data.contains(unit)) data[unit].record = &record;
  }
  for (const v1::ScoreRow& row : inputs.scoreboard.rows()) {
    UnitData& entry = data[row.unit()];
    entry.score = &row;
    entry.display_name = row.display_name();
  }
  for (const v1::Unit& unit : inputs.units) {
    if (auto it = data.find(unit.name()); it != data.end())
      it->second.display_name = unit.display_name();
  }

  v1::CountyReport report;
  report.set_period(inputs.period.year);
  *report.mutable_as_of_time() = ToTimestamp(inputs.as_of);
  v1::UnitReport& total = *report.mutable_total();
  int total_closed = 0;
  int total_on_time = 0;
  for (const auto& [unit, entry] : data) {
    v1::UnitReport line = Line(unit, entry, inputs.as_of);
    Merge(*total.mutable_by_stage(), line.by_stage(),
          [](const v1::StageCount& c) { return c.stage(); });
    Merge(*total.mutable_cards(), line.cards(), [](const v1::CardCount& c) { return c.card(); });
    Merge(*total.mutable_dispositions(), line.dispositions(),
          [](const v1::DispositionCount& c) { return c.kind(); });
    total.set_open(total.open() + line.open());
    total.set_overdue(total.overdue() + line.overdue());
    total.set_referrals(total.referrals() + line.referrals());
    total.set_undecided_referrals(total.undecided_referrals() + line.undecided_referrals());
    *report.add_units() = std::move(line);
  }
  // Closed tickets count once each, late when anything slipped on them.
  for (const v1::Ticket& ticket : inputs.tickets) {
    if (ticket.stage() != v1::STAGE_CLOSED ||
        !inputs.period.Contains(FromTimestamp(ticket.stage_enter_time()))) {
      continue;
    }
    ++total_closed;
    bool late = false;
    for (const v1::EscalationRecord& escalation : ticket.escalations()) {
      late |= escalation.level() >= v1::ESCALATION_LEVEL_YELLOW;
    }
    total_on_time += !late;
  }
  total.set_closed(total_closed);
  total.set_closed_on_time(total_on_time);
  if (total_closed > 0) total.set_on_time_rate(static_cast<double>(total_on_time) / total_closed);
  return report;
}

}  // namespace duban
