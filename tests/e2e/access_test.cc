// Who may do what, over real gRPC: authentication, the method × role table
// and the per-ticket unit rule.
#include <gtest/gtest.h>

#include "tests/e2e/rpc_client.h"

namespace duban::testing {
namespace {

class AccessTest : public ::testing::Test {
 protected:
  TestServer server_;
  RpcClient client_{server_};
};

TEST_F(AccessTest, MissingOrUnknownTokenIsUnauthenticated) {
  v1::ListTicketsRequest request;
  v1::ListTicketsResponse response;
  grpc::Status missing = client_.Call("", &Tickets::ListTickets, request, &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(missing), "MISSING_TOKEN");
  grpc::Status unknown = client_.Call("no-such-token", &Tickets::ListTickets, request, &response);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ErrorReason(unknown), "UNKNOWN_TOKEN");

  grpc::ClientContext context;
  context.AddMetadata("authorization", "Basic bGVhZGVy");
  grpc::Status malformed = server_.Tickets()->ListTickets(&context, request, &response);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

struct CreateCase {
  const char* token;
  v1::TicketKind kind;
  grpc::StatusCode code;
};

TEST_F(AccessTest, OnlyLeadersDeployAndOnlyInspectorsFile) {
  const CreateCase cases[] = {
      {"leader", v1::TICKET_KIND_TASK, grpc::StatusCode::OK},
      {"inspector", v1::TICKET_KIND_TASK, grpc::StatusCode::PERMISSION_DENIED},
      {"nongye", v1::TICKET_KIND_TASK, grpc::StatusCode::PERMISSION_DENIED},
      {"admin", v1::TICKET_KIND_TASK, grpc::StatusCode::PERMISSION_DENIED},
      {"inspector", v1::TICKET_KIND_FINDING, grpc::StatusCode::OK},
      {"leader", v1::TICKET_KIND_FINDING, grpc::StatusCode::PERMISSION_DENIED},
      {"discipline", v1::TICKET_KIND_FINDING, grpc::StatusCode::PERMISSION_DENIED},
  };
  for (const CreateCase& test : cases) {
    v1::CreateTicketRequest request =
        test.kind == v1::TICKET_KIND_TASK ? DeployRequest(server_.clock().Now()) : FindingRequest();
    v1::Ticket ticket;
    grpc::Status status = client_.Call(test.token, &Tickets::CreateTicket, request, &ticket);
    EXPECT_EQ(status.error_code(), test.code)
        << test.token << " creating " << v1::TicketKind_Name(test.kind) << ": "
        << status.error_message();
  }
}

TEST_F(AccessTest, UnitStaffSeeAndActOnlyOnTheirUnitsTickets) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  v1::GetTicketRequest get;
  get.set_name(ticket.name());
  v1::Ticket read;
  for (const char* token : {"nongye", "ziran", "leader", "inspector", "discipline"}) {
    EXPECT_TRUE(client_.Call(token, &Tickets::GetTicket, get, &read).ok()) << token;
  }
  grpc::Status other = client_.Call("tongji", &Tickets::GetTicket, get, &read);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(other), "TICKET_NOT_OF_UNIT");

  v1::ListTicketEventsRequest history;
  history.set_name(ticket.name());
  v1::ListTicketEventsResponse events;
  EXPECT_EQ(client_.Call("tongji", &Tickets::ListTicketEvents, history, &events).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Listing: unit staff get their own unit's tickets; asking for another
  // unit's is refused.
  v1::ListTicketsRequest list;
  v1::ListTicketsResponse page;
  ASSERT_TRUE(client_.Call("tongji", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), 0);
  ASSERT_TRUE(client_.Call("ziran", &Tickets::ListTickets, list, &page).ok());
  EXPECT_EQ(page.tickets_size(), 1);
  list.set_filter("unit=units/nongye");
  EXPECT_EQ(client_.Call("tongji", &Tickets::ListTickets, list, &page).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A cooperating unit reports but does not sign; an unrelated unit does neither.
  v1::Ticket moved;
  EXPECT_EQ(client_.Call("ziran", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &moved)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(client_.Call("tongji", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &moved)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      client_.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &moved).ok());
  auto report = On<v1::ReportTicketProgressRequest>(moved);
  report.set_comment("配合单位进展");
  EXPECT_TRUE(client_.Call("ziran", &Tickets::ReportTicketProgress, report, &moved).ok());
  EXPECT_EQ(client_.Call("tongji", &Tickets::ReportTicketProgress, report, &moved).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccessTest, OnlyIssuerOrInspectorReviewsAndOnlyIssuerCancels) {
  v1::Ticket ticket = client_.MustCreate("leader", DeployRequest(server_.clock().Now()));
  ASSERT_TRUE(
      client_.Call("nongye", &Tickets::SignTicket, On<v1::SignTicketRequest>(ticket), &ticket)
          .ok());
  auto submit = On<v1::SubmitTicketRequest>(ticket);
  submit.set_comment("办结");
  ASSERT_TRUE(client_.Call("nongye", &Tickets::SubmitTicket, submit, &ticket).ok());

  auto accept = On<v1::ReviewTicketRequest>(ticket);
  accept.set_verdict(v1::REVIEW_VERDICT_ACCEPT);
  v1::Ticket result;
  for (const char* token : {"nongye", "discipline", "organization", "admin"}) {
    EXPECT_EQ(client_.Call(token, &Tickets::ReviewTicket, accept, &result).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  auto cancel = On<v1::CancelTicketRequest>(ticket);
  cancel.set_reason("不需要了");
  grpc::Status inspector_cancel =
      client_.Call("inspector", &Tickets::CancelTicket, cancel, &result);
  EXPECT_EQ(inspector_cancel.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(inspector_cancel), "NOT_TICKET_ACTOR");
  EXPECT_TRUE(client_.Call("inspector", &Tickets::ReviewTicket, accept, &result).ok());
}

TEST_F(AccessTest, OnlyAdminChangesTheDirectoryButEveryoneReadsIt) {
  v1::CreateUnitRequest create;
  create.set_unit_id("shuili");
  create.mutable_unit()->set_display_name("水利局");
  create.mutable_unit()->set_kind(v1::UNIT_KIND_DEPARTMENT);
  v1::Unit unit;
  for (const char* token : {"leader", "inspector", "nongye"}) {
    grpc::Status status = client_.Call(token, &Directory::CreateUnit, create, &unit);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << token;
    EXPECT_EQ(ErrorReason(status), "ROLE_NOT_ALLOWED");
  }
  EXPECT_TRUE(client_.Call("admin", &Directory::CreateUnit, create, &unit).ok());
  v1::ListUnitsRequest list;
  list.set_filter("kind=DEPARTMENT");
  v1::ListUnitsResponse units;
  ASSERT_TRUE(client_.Call("nongye", &Directory::ListUnits, list, &units).ok());
  bool found = false;
  for (const v1::Unit& each : units.units()) found |= each.name() == "units/shuili";
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace duban::testing
