#include "server/replication/peer_fencing.h"

#include "absl/strings/str_cat.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "server/runtime/json_log.h"

namespace duban {
namespace {

constexpr absl::Duration kPeerTimeout = absl::Seconds(2);

}  // namespace

PeerEpoch NewestPeerEpoch(const std::vector<std::string>& peers, const PeerCredentials& credentials,
                          const v1::ReplicationState& mine, JsonLog& log) {
  PeerEpoch newest;
  for (const std::string& peer : peers) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = PeerChannel(peer, credentials);
    v1::ReplicationStatus status;
    grpc::Status answered = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "");
    if (channel.ok()) {
      std::unique_ptr<grpc::ClientContext> context = PeerContext(credentials, kPeerTimeout);
      answered = v1::ReplicationService::NewStub(*channel)->GetReplicationStatus(
          context.get(), v1::GetReplicationStatusRequest(), &status);
    }
    if (!channel.ok() || !answered.ok()) {
      log.Write(LogLevel::kWarning,
                absl::StrCat("--fence_with: no answer from ", peer, ": ",
                             channel.ok() ? answered.error_message()
                                          : std::string(channel.status().message()),
                             " (starting without its epoch)"),
                {{"peer", peer}});
      continue;
    }
    if (status.store_id() != mine.store_id()) {
      log.Write(LogLevel::kWarning,
                absl::StrCat("--fence_with: ", peer, " serves another store (", status.store_id(),
                             ")"),
                {{"peer", peer}});
      continue;
    }
    if (status.epoch() > mine.epoch() && status.epoch() > newest.epoch) {
      newest = PeerEpoch{.epoch = status.epoch(), .peer = peer};
    }
  }
  return newest;
}

void TellPeerFenced(const std::string& peer, const PeerCredentials& credentials,
                    const std::string& store_id, int64_t epoch, JsonLog& log) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = PeerChannel(peer, credentials);
  if (!channel.ok()) return;
  v1::FenceRequest request;
  request.set_store_id(store_id);
  request.set_epoch(epoch);
  v1::ReplicationStatus status;
  std::unique_ptr<grpc::ClientContext> context = PeerContext(credentials, kPeerTimeout);
  grpc::Status told =
      v1::ReplicationService::NewStub(*channel)->Fence(context.get(), request, &status);
  log.Write(told.ok() ? LogLevel::kInfo : LogLevel::kWarning,
            told.ok() ? absl::StrCat("the former primary ", peer, " is fenced")
                      : absl::StrCat("could not tell the former primary ", peer,
                                     " it is fenced (", told.error_message(),
                                     "): if it comes back it learns so from --fence_with or "
                                     "from a replica"),
            {{"peer", peer}});
}

}  // namespace duban
