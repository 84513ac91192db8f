// PeerChannel: how one duband calls another — a replica its primary, a
// promoted replica the primary it left, a primary starting up the peers it
// checks for a newer epoch (--fence_with). It calls as a REPLICA principal,
// with that principal's bearer token, over TLS when given the CA that
// signed the peer's certificate.
//
//   ASSIGN_OR_RETURN(auto channel, PeerChannel("10.0.0.1:7420", credentials));
//   auto stub = v1::ReplicationService::NewStub(channel);
//   std::unique_ptr<grpc::ClientContext> context = PeerContext(credentials, absl::Seconds(2));
#ifndef DUBAN_SERVER_REPLICATION_PEER_CHANNEL_H_
#define DUBAN_SERVER_REPLICATION_PEER_CHANNEL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace duban {

struct PeerCredentials {
  // The bearer token of a REPLICA principal on the peer.
  std::string token;
  // PEM CA bundle the peer's certificate must chain to; empty: plaintext,
  // which only a loopback address (or `insecure`) allows.
  std::string ca_pem;
  bool insecure = false;
};

[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(
    const std::string& address, const PeerCredentials& credentials);

// A context carrying the token; `timeout` sets its deadline
// (InfiniteDuration: none, for a stream).
std::unique_ptr<grpc::ClientContext> PeerContext(const PeerCredentials& credentials,
                                                 absl::Duration timeout);

// The absl::Status of a peer's answer.
absl::Status FromPeer(const grpc::Status& status, absl::string_view what);

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_PEER_CHANNEL_H_
