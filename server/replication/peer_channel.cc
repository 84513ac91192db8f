#include "server/replication/peer_channel.h"

#include "absl/strings/str_cat.h"
#include "server/edge/transport_security.h"

namespace duban {

absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannel(const std::string& address,
                                                           const PeerCredentials& credentials) {
  std::shared_ptr<grpc::ChannelCredentials> transport;
  if (!credentials.ca_pem.empty()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = credentials.ca_pem;
    transport = grpc::SslCredentials(tls);
  } else if (credentials.insecure || IsLoopbackAddress(address)) {
    transport = grpc::InsecureChannelCredentials();
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "reaching ", address, " in plaintext: give --replication_ca (the CA of its "
        "certificate), or --insecure"));
  }
  grpc::ChannelArguments arguments;
  // A stream to a peer that vanished (power, network) ends within seconds.
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  arguments.SetMaxReceiveMessageSize(64 << 20);
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(address, transport, arguments);
}

std::unique_ptr<grpc::ClientContext> PeerContext(const PeerCredentials& credentials,
                                                 absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", absl::StrCat("Bearer ", credentials.token));
  if (timeout != absl::InfiniteDuration()) {
    context->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  }
  return context;
}

absl::Status FromPeer(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace duban
