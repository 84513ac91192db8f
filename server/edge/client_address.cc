#include "server/edge/client_address.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace duban {

std::string ClientAddress(const grpc::ServerContextBase& context) {
  const std::string peer_name = context.peer();
  absl::string_view peer = peer_name;
  // gRPC names the peer of an in-process call "unknown" (or "inproc"); a
  // network peer is always "ipv4:", "ipv6:" or "unix:".
  if (peer == "unknown" || absl::StartsWith(peer, "inproc")) {
    const auto& metadata = context.client_metadata();
    auto it = metadata.find(kClientAddressMetadata);
    if (it == metadata.end()) return "";
    return std::string(it->second.data(), it->second.size());
  }
  // "ipv4:1.2.3.4:5678", "ipv6:[::1]:5678", "unix:/path".
  if (absl::ConsumePrefix(&peer, "ipv4:")) return std::string(peer.substr(0, peer.rfind(':')));
  if (absl::ConsumePrefix(&peer, "ipv6:")) {
    peer = peer.substr(0, peer.rfind(':'));
    absl::ConsumePrefix(&peer, "[");
    absl::ConsumeSuffix(&peer, "]");
    return std::string(peer);
  }
  return std::string(peer);
}

}  // namespace duban
