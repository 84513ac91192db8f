// ForwardedCall: a call the HTTP gateway makes on the server's in-process
// channel, by method path and bytes, through grpc::GenericStub — so it
// passes the same interceptors, authentication, access table and handlers
// as a call from a gRPC client. Nothing is written per method.
//
//   ForwardedCall call{.method_path = "/duban.v1.TicketService/GetTicket",
//                      .metadata = {{"authorization", "Bearer leader"}}};
//   grpc::Status status = Unary(*channel, call, request_bytes, &response_bytes);
#ifndef DUBAN_SERVER_EDGE_FORWARDED_CALL_H_
#define DUBAN_SERVER_EDGE_FORWARDED_CALL_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace duban {

struct ForwardedCall {
  // "/duban.v1.TicketService/GetTicket"
  std::string method_path;
  // Lowercase keys with printable values (grpc refuses others).
  std::vector<std::pair<std::string, std::string>> metadata;
  // InfiniteFuture for none.
  absl::Time deadline = absl::InfiniteFuture();
};

// A unary call; `response` is set when the status is OK.
grpc::Status Unary(grpc::Channel& channel, const ForwardedCall& call, const std::string& request,
                   std::string* response);

// A server-streaming call: `on_message` gets each message as it comes and
// returns false to stop (the client went away); `keep_going` is asked at
// least every 250 ms while the stream waits, and stops it when false. The
// call is cancelled when stopped; returns the stream's status (CANCELLED
// when it was stopped here).
grpc::Status ServerStream(grpc::Channel& channel, const ForwardedCall& call,
                          const std::string& request,
                          const std::function<bool(const std::string&)>& on_message,
                          const std::function<bool()>& keep_going);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_FORWARDED_CALL_H_
