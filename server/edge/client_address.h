// ClientAddress: where a call came from, for the login throttle, the
// security events and the call log.
//
// For a gRPC connection, the peer's IP address ("ipv4:10.0.0.5:51234" →
// "10.0.0.5"). For a call the HTTP gateway forwards over the in-process
// channel, the address it names in kClientAddressMetadata; that metadata is
// believed only on the in-process channel, so a remote client cannot claim
// another's address by sending it.
#ifndef DUBAN_SERVER_EDGE_CLIENT_ADDRESS_H_
#define DUBAN_SERVER_EDGE_CLIENT_ADDRESS_H_

#include <grpcpp/server_context.h>

#include <string>

namespace duban {

inline constexpr char kClientAddressMetadata[] = "x-duban-client-address";

// "" when the server cannot tell.
std::string ClientAddress(const grpc::ServerContextBase& context);

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_CLIENT_ADDRESS_H_
