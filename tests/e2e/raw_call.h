// RawCall: one call of any method, by its name, with the request and the
// reply as bytes — no generated stub needed, so a test can call every method
// a descriptor lists.
//
//   RawReply reply = RawCall(server.channel(), "duban.v1.TicketService/GetTicket",
//                            "leader", request.SerializeAsString());
//   EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::NOT_FOUND);
#ifndef DUBAN_TESTS_E2E_RAW_CALL_H_
#define DUBAN_TESTS_E2E_RAW_CALL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace duban::testing {

struct RawReply {
  // For a stream that sent a message, CANCELLED: the call stops after the
  // first one.
  grpc::Status status;
  // The first message the server sent, if any.
  std::optional<std::string> message;
};

// Calls `method` ("duban.v1.TicketService/GetTicket") with one request
// message as the principal whose token is `token` ("" for none), within
// `deadline`. A unary call runs to its status; with `stream` set, the call
// ends at its first message or status, whichever comes first.
RawReply RawCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                 const std::string& token, const std::string& request, bool stream = false,
                 absl::Duration deadline = absl::Seconds(10));

}  // namespace duban::testing

#endif  // DUBAN_TESTS_E2E_RAW_CALL_H_
