#include "tests/crash/history_checks.h"

#include <map>
#include <set>
#include <utility>

#include "domain/ticket_loop.h"

namespace duban::testing {
namespace {

// Whether `event` starts a new stage cycle: a fresh card and ladder.
bool StartsStageCycle(const v1::TicketEvent& event) {
  switch (event.type()) {
    case v1::EVENT_TYPE_CREATED:
    case v1::EVENT_TYPE_DISPUTED:
    case v1::EVENT_TYPE_DISPUTE_REASSIGNED:
    case v1::EVENT_TYPE_DISPUTE_OVERRULED:
    case v1::EVENT_TYPE_EXTENSION_GRANTED:
    case v1::EVENT_TYPE_REOPENED:
      return true;
    default:
      return event.from_stage() != event.to_stage();
  }
}

}  // namespace

::testing::AssertionResult ReflectsAck(const Ack& ack, const v1::Ticket& ticket,
                                       const std::vector<v1::TicketEvent>& history) {
  const std::string step = ack.ticket + " " + v1::EventType_Name(ack.type) + " (request " +
                           ack.request_id + ", etag " + std::to_string(ack.revision) + ")";
  if (ticket.name() != ack.ticket) {
    return ::testing::AssertionFailure() << step << ": read " << ticket.name() << " instead";
  }
  if (Revision(ticket) < ack.revision) {
    return ::testing::AssertionFailure()
           << step << " was acknowledged, but the ticket is back at etag " << ticket.etag();
  }
  if (static_cast<int64_t>(history.size()) < ack.revision) {
    return ::testing::AssertionFailure()
           << step << " was acknowledged, but the history has " << history.size() << " events";
  }
  const v1::TicketEvent& event = history[static_cast<size_t>(ack.revision - 1)];
  if (event.sequence() != ack.revision || event.type() != ack.type ||
      event.etag() != std::to_string(ack.revision) || event.request_id() != ack.request_id) {
    return ::testing::AssertionFailure()
           << step << " was acknowledged, but event " << ack.revision << " is "
           << v1::EventType_Name(event.type()) << " (sequence " << event.sequence() << ", etag "
           << event.etag() << ", request '" << event.request_id() << "')";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult EscalatedOncePerCycle(const v1::Ticket& ticket,
                                                 const std::vector<v1::TicketEvent>& history) {
  std::set<std::pair<int64_t, int>> recorded;
  std::map<int, int> records_by_level;
  for (const v1::EscalationRecord& record : ticket.escalations()) {
    if (!recorded.emplace(record.stage_cycle(), record.level()).second) {
      return ::testing::AssertionFailure()
             << ticket.name() << " records " << v1::EscalationLevel_Name(record.level())
             << " twice in stage cycle " << record.stage_cycle();
    }
    ++records_by_level[record.level()];
  }
  std::map<int, int> events_by_level;
  std::set<int> fired_this_cycle;
  for (const v1::TicketEvent& event : history) {
    if (StartsStageCycle(event)) fired_this_cycle.clear();
    if (event.type() != v1::EVENT_TYPE_ESCALATED) continue;
    ++events_by_level[event.level()];
    if (!fired_this_cycle.insert(event.level()).second) {
      return ::testing::AssertionFailure()
             << event.name() << " fires " << v1::EscalationLevel_Name(event.level())
             << " a second time in one stage cycle (stage " << v1::Stage_Name(event.to_stage())
             << ")";
    }
  }
  if (events_by_level != records_by_level) {
    return ::testing::AssertionFailure()
           << ticket.name() << " has " << ticket.escalations_size()
           << " escalation records that do not match its ESCALATED events";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace duban::testing
