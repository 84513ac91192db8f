// RpcClient: typed calls against a TestServer as a given principal, and
// builders for the requests the tests send most.
//
//   RpcClient client(server);
//   v1::Ticket ticket;
//   grpc::Status status = client.Call("leader", &Tickets::CreateTicket, DeployRequest(), &ticket);
#ifndef DUBAN_TESTS_E2E_RPC_CLIENT_H_
#define DUBAN_TESTS_E2E_RPC_CLIENT_H_

#include <memory>
#include <string>
#include <type_traits>

#include "absl/time/time.h"
#include "base/time_convert.h"
#include "duban/v1/accountability_service.grpc.pb.h"
#include "duban/v1/calendar_service.grpc.pb.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/draw_service.grpc.pb.h"
#include "duban/v1/escalation_service.grpc.pb.h"
#include "duban/v1/event_service.grpc.pb.h"
#include "duban/v1/performance_service.grpc.pb.h"
#include "duban/v1/report_service.grpc.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "tests/support/test_server.h"

namespace duban::testing {

using Tickets = v1::TicketService::Stub;
using Directory = v1::DirectoryService::Stub;
using Calendars = v1::CalendarService::Stub;
using Escalations = v1::EscalationService::Stub;
using Accountability = v1::AccountabilityService::Stub;
using Performance = v1::PerformanceService::Stub;

class RpcClient {
 public:
  explicit RpcClient(const TestServer& server)
      : tickets_(server.Tickets()),
        directory_(server.Directory()),
        calendars_(v1::CalendarService::NewStub(server.channel())),
        escalations_(v1::EscalationService::NewStub(server.channel())),
        accountability_(v1::AccountabilityService::NewStub(server.channel())),
        performance_(v1::PerformanceService::NewStub(server.channel())) {}

  // Calls `rpc` of whichever service it belongs to as the principal whose
  // token is `token` ("" for none).
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(const std::string& token,
                    grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    if (!token.empty()) Authorize(context, token);
    return (StubFor<Stub>().*rpc)(&context, request, response);
  }

  // Creates a ticket and fails the test if the server refuses.
  v1::Ticket MustCreate(const std::string& token, const v1::CreateTicketRequest& request);
  v1::Ticket MustGet(const std::string& token, const std::string& name);
  std::vector<v1::TicketEvent> MustHistory(const std::string& token, const std::string& name);

 private:
  template <typename Stub>
  Stub& StubFor() {
    if constexpr (std::is_same_v<Stub, Tickets>) return *tickets_;
    if constexpr (std::is_same_v<Stub, Directory>) return *directory_;
    if constexpr (std::is_same_v<Stub, Calendars>) return *calendars_;
    if constexpr (std::is_same_v<Stub, Escalations>) return *escalations_;
    if constexpr (std::is_same_v<Stub, Accountability>) return *accountability_;
    if constexpr (std::is_same_v<Stub, Performance>) return *performance_;
    static_assert(std::is_same_v<Stub, Tickets> || std::is_same_v<Stub, Directory> ||
                      std::is_same_v<Stub, Calendars> || std::is_same_v<Stub, Escalations> ||
                      std::is_same_v<Stub, Accountability> || std::is_same_v<Stub, Performance>,
                  "no stub of this type");
  }

  std::unique_ptr<Tickets> tickets_;
  std::unique_ptr<Directory> directory_;
  std::unique_ptr<Calendars> calendars_;
  std::unique_ptr<Escalations> escalations_;
  std::unique_ptr<Accountability> accountability_;
  std::unique_ptr<Performance> performance_;
};

// Deploys a TASK for units/nongye due at 24:00 of the `working_days`th
// working day, and signs for it as nongye: the ticket in IMPLEMENT.
v1::Ticket DeployAndSign(RpcClient& client, int working_days);

// A TASK for units/nongye (cooperating: ziran) due `due_in` after `now`.
v1::CreateTicketRequest DeployRequest(absl::Time now, absl::Duration due_in = absl::Hours(24 * 20));
// A MAJOR FINDING for units/chengguan at the village chengguan-dongjie.
v1::CreateTicketRequest FindingRequest();

// A transition request of type Request naming `ticket`.
template <typename Request>
Request On(const v1::Ticket& ticket) {
  Request request;
  request.set_name(ticket.name());
  return request;
}

}  // namespace duban::testing

#endif  // DUBAN_TESTS_E2E_RPC_CLIENT_H_
