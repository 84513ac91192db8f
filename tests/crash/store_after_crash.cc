#include "tests/crash/store_after_crash.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/storage/store_checks.h"

namespace duban::testing {
namespace {

struct TicketAndHistory {
  v1::Ticket ticket;
  std::vector<v1::TicketEvent> history;
};

// Every ticket in the store with all its events, by name.
std::map<std::string, TicketAndHistory> ReadAll(const storage::TicketStore& tickets) {
  std::map<std::string, TicketAndHistory> all;
  for (uint64_t id = 1; id <= tickets.last_ticket_id(); ++id) {
    absl::StatusOr<v1::Ticket> ticket = tickets.Get(id);
    if (absl::IsNotFound(ticket.status())) continue;  // an id spent on a refused create
    EXPECT_TRUE(ticket.ok()) << ticket.status();
    if (!ticket.ok()) continue;
    TicketAndHistory& read = all[ticket->name()];
    read.ticket = *std::move(ticket);
    std::string token;
    do {
      absl::StatusOr<storage::EventPage> page = tickets.ListEvents(id, 1000, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (v1::TicketEvent& event : page->events) read.history.push_back(std::move(event));
      token = page->next_page_token;
    } while (!token.empty());
  }
  return all;
}

}  // namespace

std::map<v1::EscalationLevel, int> ExpectStoreHolds(const storage::Database& database,
                                                    const storage::TicketStore& tickets,
                                                    const std::vector<Ack>& acks) {
  EXPECT_TRUE(storage::StoreIsConsistent(database));
  const std::map<std::string, TicketAndHistory> all = ReadAll(tickets);
  for (const Ack& ack : acks) {
    auto found = all.find(ack.ticket);
    if (found == all.end()) {
      ADD_FAILURE() << ack.ticket << " was acknowledged (" << v1::EventType_Name(ack.type)
                    << ", request " << ack.request_id << ") but is not in the store";
      continue;
    }
    EXPECT_TRUE(ReflectsAck(ack, found->second.ticket, found->second.history));
  }
  std::map<std::string, int> titles;
  std::map<v1::EscalationLevel, int> fired;
  for (const auto& [name, read] : all) {
    EXPECT_TRUE(EscalatedOncePerCycle(read.ticket, read.history));
    ++titles[read.ticket.title()];
    for (const v1::TicketEvent& event : read.history) {
      if (event.type() == v1::EVENT_TYPE_ESCALATED) ++fired[event.level()];
    }
  }
  for (const auto& [title, count] : titles) {
    EXPECT_EQ(count, 1) << "one create request made " << count << " tickets titled " << title;
  }
  return fired;
}

}  // namespace duban::testing
