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

#include "absl/time/time.h"
#include "duban/v1/directory_service.grpc.pb.h"
#include "duban/v1/ticket_service.grpc.pb.h"
#include "server/domain/time_convert.h"
#include "tests/support/test_server.h"

namespace duban::testing {

using Tickets = v1::TicketService::Stub;
using Directory = v1::DirectoryService::Stub;

class RpcClient {
 public:
  explicit RpcClient(const TestServer& server)
      : tickets_(server.Tickets()), directory_(server.Directory()) {}

  template <typename Request, typename Response>
  grpc::Status Call(const std::string& token,
                    grpc::Status (Tickets::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    if (!token.empty()) Authorize(context, token);
    return ((*tickets_).*rpc)(&context, request, response);
  }

  template <typename Request, typename Response>
  grpc::Status Call(const std::string& token,
                    grpc::Status (Directory::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    if (!token.empty()) Authorize(context, token);
    return ((*directory_).*rpc)(&context, request, response);
  }

  // Creates a ticket and fails the test if the server refuses.
  v1::Ticket MustCreate(const std::string& token, const v1::CreateTicketRequest& request);
  v1::Ticket MustGet(const std::string& token, const std::string& name);
  std::vector<v1::TicketEvent> MustHistory(const std::string& token, const std::string& name);

 private:
  std::unique_ptr<Tickets> tickets_;
  std::unique_ptr<Directory> directory_;
};

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
