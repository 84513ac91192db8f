// FetchSnapshot: a replica's full sync — the primary's whole store
// (ReplicationService.FetchSnapshot), checked file by file and installed
// as the store in `data_directory` (storage/snapshot.h). The store must
// not be open.
#ifndef DUBAN_SERVER_REPLICATION_SNAPSHOT_FETCH_H_
#define DUBAN_SERVER_REPLICATION_SNAPSHOT_FETCH_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "server/replication/peer_channel.h"

namespace duban {

class JsonLog;

struct SnapshotSource {
  std::string primary;
  std::shared_ptr<grpc::Channel> channel;
  PeerCredentials credentials;
};

// FAILED_PRECONDITION, installing nothing, when `expected_store_id` is not
// empty and the primary serves another store (another county's).
[[nodiscard]] absl::Status FetchSnapshot(const SnapshotSource& source,
                                         const std::string& data_directory,
                                         const std::string& expected_store_id, JsonLog& log);

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_SNAPSHOT_FETCH_H_
