// The event stream over real gRPC: commit order, resuming from a cursor
// after a restart, and who may watch.
#include <gtest/gtest.h>

#include "tests/e2e/event_watcher.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

// Reads the whole stream as it stands, then stops.
std::vector<v1::StreamEvent> CatchUp(const TestServer& server, int64_t after,
                                     const std::string& token = "escalator") {
  auto stub = v1::EventService::NewStub(server.channel());
  grpc::ClientContext context;
  Authorize(context, token);
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

TEST(EventsTest, UnitStaffWatchOnlyTheTicketsOfTheirUnit) {
  TestServer server;
  RpcClient client(server);
  v1::Ticket finding = client.MustCreate("inspector", FindingRequest());
  v1::Ticket task = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  ASSERT_NE(finding.lead_unit(), "units/nongye");
  ASSERT_EQ(task.lead_unit(), "units/nongye");
  ASSERT_TRUE(
      client.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(task), &task).ok());

  std::vector<v1::StreamEvent> mine = CatchUp(server, 0, "nongye");
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].event().ticket(), task.name());
  EXPECT_EQ(mine[1].event().type(), v1::EVENT_TYPE_SIGNED);
  EXPECT_EQ(CatchUp(server, 0, "chengguan").size(), 1u);
  EXPECT_EQ(CatchUp(server, 0).size(), 3u);

  // A live stream skips the other unit's events and still delivers its own.
  EventWatcher watcher(server, "nongye", mine.back().cursor());
  client.MustCreate("inspector", FindingRequest());
  v1::Ticket next_task = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  v1::StreamEvent next = watcher.WaitFor([](const v1::StreamEvent&) { return true; });
  EXPECT_EQ(next.event().type(), v1::EVENT_TYPE_CREATED);
  EXPECT_EQ(next.event().ticket(), next_task.name());
}

TEST(EventsTest, FromNowSkipsWhatHadCommitted) {
  TestServer server;
  RpcClient client(server);
  client.MustCreate("inspector", FindingRequest());
  auto stub = v1::EventService::NewStub(server.channel());
  grpc::ClientContext context;
  Authorize(context, "leader");
  v1::WatchEventsRequest request;
  request.set_from_now(true);
  auto reader = stub->WatchEvents(&context, request);
  v1::StreamEvent start;
  ASSERT_TRUE(reader->Read(&start));
  EXPECT_FALSE(start.has_event());
  // The log's other records (the directory's, say) may lie past the last
  // ticket event.
  EXPECT_GE(start.cursor(), CatchUp(server, 0).back().cursor());
  v1::Ticket task = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  v1::StreamEvent first;
  ASSERT_TRUE(reader->Read(&first));
  EXPECT_EQ(first.event().ticket(), task.name());
  EXPECT_GT(first.cursor(), start.cursor());
  context.TryCancel();
  v1::StreamEvent ignored;
  while (reader->Read(&ignored)) {
  }
  reader->Finish();
}

}  // namespace
}  // namespace duban::testing
