// Fencing between peers (docs/replication.md): a primary starting up asks
// its configured peers (--fence_with) whether a newer epoch of its store
// began on one of them; a promoted replica tells the primary it left.
#ifndef DUBAN_SERVER_REPLICATION_PEER_FENCING_H_
#define DUBAN_SERVER_REPLICATION_PEER_FENCING_H_

#include <string>
#include <vector>

#include "duban/v1/replication.pb.h"
#include "server/replication/peer_channel.h"

namespace duban {

class JsonLog;

struct PeerEpoch {
  int64_t epoch = 0;  // 0: no peer has a newer epoch of this store
  std::string peer;
};

// The newest epoch of `mine`'s store among `peers` that is newer than
// `mine`'s. A peer that does not answer within two seconds, or serves
// another store, is logged and passed over.
PeerEpoch NewestPeerEpoch(const std::vector<std::string>& peers, const PeerCredentials& credentials,
                          const v1::ReplicationState& mine, JsonLog& log);

// Tells `peer` (best effort, two seconds) that `epoch` of `store_id` began.
void TellPeerFenced(const std::string& peer, const PeerCredentials& credentials,
                    const std::string& store_id, int64_t epoch, JsonLog& log);

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_PEER_FENCING_H_
