#include "tests/e2e/rpc_client.h"

#include <gtest/gtest.h>

namespace duban::testing {

v1::Ticket RpcClient::MustCreate(const std::string& token, const v1::CreateTicketRequest& request) {
  v1::Ticket ticket;
  grpc::Status status = Call(token, &Tickets::CreateTicket, request, &ticket);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return ticket;
}

v1::Ticket RpcClient::MustGet(const std::string& token, const std::string& name) {
  v1::GetTicketRequest request;
  request.set_name(name);
  v1::Ticket ticket;
  grpc::Status status = Call(token, &Tickets::GetTicket, request, &ticket);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return ticket;
}

std::vector<v1::TicketEvent> RpcClient::MustHistory(const std::string& token,
                                                    const std::string& name) {
  v1::ListTicketEventsRequest request;
  request.set_name(name);
  v1::ListTicketEventsResponse response;
  grpc::Status status = Call(token, &Tickets::ListTicketEvents, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.events().begin(), response.events().end()};
}

v1::Ticket DeployAndSign(RpcClient& client, int working_days) {
  v1::CreateTicketRequest request = DeployRequest(absl::Now());
  request.mutable_ticket()->clear_due_time();
  request.mutable_due_in()->set_working_days(working_days);
  v1::Ticket ticket = client.MustCreate("leader", request);
  v1::SignTicketRequest sign;
  sign.set_name(ticket.name());
  grpc::Status status = client.Call("nongye", &Tickets::SignTicket, sign, &ticket);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return ticket;
}

v1::CreateTicketRequest DeployRequest(absl::Time now, absl::Duration due_in) {
  v1::CreateTicketRequest request;
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(v1::TICKET_KIND_TASK);
  ticket.set_title("防返贫监测帮扶集中排查");
  ticket.set_lead_unit("units/nongye");
  ticket.add_cooperating_units("units/ziran");
  *ticket.mutable_due_time() = ToTimestamp(now + due_in);
  return request;
}

v1::CreateTicketRequest FindingRequest() {
  v1::CreateTicketRequest request;
  v1::Ticket& ticket = *request.mutable_ticket();
  ticket.set_kind(v1::TICKET_KIND_FINDING);
  ticket.set_title("村内垃圾堆放未清理");
  ticket.set_lead_unit("units/chengguan");
  ticket.set_location("units/chengguan-dongjie");
  ticket.set_severity(v1::SEVERITY_MAJOR);
  return request;
}

}  // namespace duban::testing
