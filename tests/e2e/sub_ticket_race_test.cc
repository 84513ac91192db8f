// A sub-ticket and its parent's cancellation racing: the create is checked
// when the call arrives and again at commit, under the parent's lock, so a
// parent cancelled in between gains no child.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "domain/caller.h"
#include "server/edge/prepared_create.h"
#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

TEST(SubTicketRaceTest, AParentCancelledAfterTheCreateWasCheckedGainsNoChild) {
  TestServer server;
  RpcClient client(server);
  const Backend& backend = server.server().backend();
  const v1::Ticket parent = client.MustCreate("leader", DeployRequest(server.clock().Now()));
  v1::CreateTicketRequest child = DeployRequest(server.clock().Now());
  child.mutable_ticket()->set_parent(parent.name());
  child.set_request_id("child-1");
  const std::optional<v1::Principal> leader =
      backend.directory->FindPrincipal("principals/leader");
  ASSERT_TRUE(leader.has_value());

  // The call's checks pass while the parent is open...
  absl::StatusOr<storage::TicketStore::PendingCreate> create =
      PrepareCreate(backend, CallerFromPrincipal(*leader), child);
  ASSERT_TRUE(create.ok()) << create.status();
  // ...then the parent is cancelled before the create reaches the store.
  auto cancel = On<v1::CancelTicketRequest>(parent);
  cancel.set_reason("任务合并");
  v1::Ticket cancelled;
  ASSERT_TRUE(client.Call("leader", &Tickets::CancelTicket, cancel, &cancelled).ok());
  ASSERT_EQ(cancelled.stage(), v1::STAGE_CANCELLED);

  std::vector<absl::StatusOr<v1::Ticket>> answers =
      backend.tickets->CreateEach({*std::move(create)}, backend.Now());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status().code(), absl::StatusCode::kInvalidArgument) << answers[0].status();
  EXPECT_NE(answers[0].status().message().find("ticket.parent"), std::string::npos)
      << answers[0].status();

  v1::ListTicketsRequest list;
  list.set_filter("parent=" + parent.name());
  v1::ListTicketsResponse children;
  ASSERT_TRUE(client.Call("leader", &Tickets::ListTickets, list, &children).ok());
  EXPECT_EQ(children.tickets_size(), 0);
  EXPECT_EQ(client.MustGet("leader", parent.name()).stage(), v1::STAGE_CANCELLED);
}

}  // namespace
}  // namespace duban::testing
