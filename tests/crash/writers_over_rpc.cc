#include "tests/crash/writers_over_rpc.h"

#include <map>
#include <thread>

#include "tests/support/test_server.h"

namespace duban::testing {
namespace {

using Stub = v1::TicketService::Stub;

struct TicketAndHistory {
  v1::Ticket ticket;
  std::vector<v1::TicketEvent> history;
};

// Calls `rpc` as the leader; a call the server sheds for want of threads
// (RESOURCE_EXHAUSTED) is sent again.
template <typename Request, typename Response>
grpc::Status ReadAsLeader(Stub& stub,
                          grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                          const Request& request, Response& response) {
  grpc::Status status;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    grpc::ClientContext context;
    Authorize(context, "leader");
    status = (stub.*rpc)(&context, request, &response);
    if (status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) break;
  }
  return status;
}

// Reads `name` and all its events from the server.
::testing::AssertionResult ReadOverRpc(Stub& stub, const std::string& name,
                                       TicketAndHistory& read) {
  v1::GetTicketRequest get;
  get.set_name(name);
  grpc::Status status = ReadAsLeader(stub, &Stub::GetTicket, get, read.ticket);
  if (!status.ok()) {
    return ::testing::AssertionFailure() << "GetTicket " << name << ": " << status.error_message();
  }
  v1::ListTicketEventsRequest list;
  list.set_name(name);
  list.set_page_size(1000);
  do {
    v1::ListTicketEventsResponse page;
    status = ReadAsLeader(stub, &Stub::ListTicketEvents, list, page);
    if (!status.ok()) {
      return ::testing::AssertionFailure()
             << "ListTicketEvents " << name << ": " << status.error_message();
    }
    read.history.insert(read.history.end(), page.events().begin(), page.events().end());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return ::testing::AssertionSuccess();
}

}  // namespace

// Checks over gRPC that the server reflects every one of `acks`.
void ExpectServerReflects(Stub& stub, const std::vector<Ack>& acks, const std::string& when) {
  std::map<std::string, std::vector<const Ack*>> by_ticket;
  for (const Ack& ack : acks) by_ticket[ack.ticket].push_back(&ack);
  for (const auto& [name, ticket_acks] : by_ticket) {
    TicketAndHistory read;
    ASSERT_TRUE(ReadOverRpc(stub, name, read)) << when;
    for (const Ack* ack : ticket_acks) {
      EXPECT_TRUE(ReflectsAck(*ack, read.ticket, read.history)) << when;
    }
  }
}

int CountNotReflected(Stub& stub, const std::vector<Ack>& acks) {
  std::map<std::string, std::vector<const Ack*>> by_ticket;
  for (const Ack& ack : acks) by_ticket[ack.ticket].push_back(&ack);
  int missing = 0;
  for (const auto& [name, ticket_acks] : by_ticket) {
    TicketAndHistory read;
    if (!ReadOverRpc(stub, name, read)) {
      missing += static_cast<int>(ticket_acks.size());
      continue;
    }
    for (const Ack* ack : ticket_acks) {
      if (!ReflectsAck(*ack, read.ticket, read.history)) ++missing;
    }
  }
  return missing;
}

// Runs every writer on its own thread until each returns (see LoopWriter::Run).
void RunWriters(std::vector<std::unique_ptr<LoopWriter>>& writers, Stub& stub,
                const std::atomic<bool>& killed, bool retry_only, StepCount& steps,
                const std::function<void()>& while_running) {
  std::vector<std::thread> threads;
  for (const std::unique_ptr<LoopWriter>& writer : writers) {
    threads.emplace_back([&, writer = writer.get()] {
      writer->Run(stub, killed, retry_only, [&steps] { steps.Add(); });
    });
  }
  while_running();
  for (std::thread& thread : threads) thread.join();
}

// Moves the writers' acks to `acks` and reports their failures.
void Collect(std::vector<std::unique_ptr<LoopWriter>>& writers, const std::string& when,
             std::vector<Ack>& acks) {
  for (const std::unique_ptr<LoopWriter>& writer : writers) {
    for (Ack& ack : writer->TakeAcks()) acks.push_back(std::move(ack));
    for (const std::string& failure : writer->TakeFailures()) {
      ADD_FAILURE() << when << ": " << failure;
    }
  }
}

}  // namespace duban::testing
