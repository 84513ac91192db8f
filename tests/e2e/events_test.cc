// The event stream over real gRPC: commit order, resuming from a cursor
// after a restart, and who may watch.
#include <gtest/gtest.h>

#include "tests/e2e/event_watcher.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

// Reads the whole stream as it stands, then stops.
std::vector<v1::StreamEvent> CatchUp(const TestServer& server, int64_t after) {
  auto stub = v1::EventService::NewStub(server.channel());
  grpc::ClientContext context;
  Authorize(context, "escalator");
  v1::WatchEventsRequest request;
  request.set_after_cursor(after);
  request.set_until_caught_up(true);
  auto reader = stub->WatchEvents(&context, request);
  std::vector<v1::StreamEvent> events;
  v1::StreamEvent event;
  while (reader->Read(&event)) events.push_back(event);
  grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return events;
}

TEST(EventsTest, StreamResumesFromACursorAcrossARestart) {
  TestServer server;
  int64_t cursor = 0;
  {
    RpcClient client(server);
    client.MustCreate("leader", DeployRequest(server.clock().Now()));
    client.MustCreate("inspector", FindingRequest());
    std::vector<v1::StreamEvent> first = CatchUp(server, 0);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_LT(first[0].cursor(), first[1].cursor());
    EXPECT_EQ(first[0].event().type(), v1::EVENT_TYPE_CREATED);
    cursor = first.back().cursor();
  }
  server.Restart();
  RpcClient client(server);
  v1::Ticket ticket = client.MustGet("leader", "tickets/1");
  ASSERT_TRUE(
      client.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket).ok());
  std::vector<v1::StreamEvent> rest = CatchUp(server, cursor);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_GT(rest[0].cursor(), cursor);
  EXPECT_EQ(rest[0].event().type(), v1::EVENT_TYPE_SIGNED);
  EXPECT_EQ(CatchUp(server, 0).size(), 3u);
}

TEST(EventsTest, AWatcherSeesNewEventsAsTheyCommit) {
  TestServer server;
  RpcClient client(server);
  EventWatcher watcher(server, "leader");
  v1::Ticket ticket = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  v1::StreamEvent created = watcher.WaitFor(
      [&](const v1::StreamEvent& item) { return item.event().ticket() == ticket.name(); });
  EXPECT_EQ(created.event().type(), v1::EVENT_TYPE_CREATED);
  ASSERT_TRUE(
      client.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket).ok());
  v1::StreamEvent signed_for = watcher.WaitFor(
      [](const v1::StreamEvent& item) { return item.event().type() == v1::EVENT_TYPE_SIGNED; });
  EXPECT_GT(signed_for.cursor(), created.cursor());
}

TEST(EventsTest, UnitStaffMayNotWatchTheCountysEvents) {
  TestServer server;
  EventWatcher watcher(server, "nongye");
  EXPECT_FALSE(watcher.Next().has_value());
  EXPECT_EQ(watcher.Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace duban::testing
