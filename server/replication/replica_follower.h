// ReplicaFollower: on a replica, the thread that follows the primary —
// ReplicationService.StreamWal from the sequence after the store's newest,
// each batch applied whole and synced (Database::ApplyReplicated), then
// acknowledged — and says how it ended.
//
//   ReplicaFollower follower(database, "10.0.0.1:7420", channel, credentials, on_applied, ...);
//   follower.Start();
//   absl::Status why;
//   switch (follower.WaitForEnd(&why)) { ... }   // kResync: fetch a snapshot again
//
// A stream that breaks (the primary restarts, the network fails) is opened
// again after a second, for as long as it takes. The follower ends by
// itself only when following cannot go on: kResync when the primary no
// longer has the log this store needs (OUT_OF_RANGE), kFatal when the
// primary's history is not this store's (another county, a history that
// diverged: FAILED_PRECONDITION) or a batch does not apply.
//
// Thread-safe: mu_ guards the state below it; taken alone. `on_applied`
// runs on the follower's thread.
#ifndef DUBAN_SERVER_REPLICATION_REPLICA_FOLLOWER_H_
#define DUBAN_SERVER_REPLICATION_REPLICA_FOLLOWER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/mutex.h"
#include "duban/v1/replication_service.grpc.pb.h"
#include "server/replication/peer_channel.h"
#include "storage/database.h"

namespace duban {

class JsonLog;
class ServerHealth;

class ReplicaFollower {
 public:
  enum class End { kStopped, kResync, kFatal };

  struct Options {
    std::string primary;
    std::shared_ptr<grpc::Channel> channel;
    PeerCredentials credentials;
    // Called after each applied batch (caches that follow the store).
    std::function<void(const storage::AppliedBatch&)> on_applied;
    // Called once when the follower ends by itself.
    std::function<void(End, const absl::Status&)> on_end;
  };

  // `database`, `health` and `log` are not owned and must outlive this.
  ReplicaFollower(storage::Database* database, Options options, ServerHealth* health,
                  JsonLog* log);
  ReplicaFollower(const ReplicaFollower&) = delete;
  ReplicaFollower& operator=(const ReplicaFollower&) = delete;
  // Stops.
  ~ReplicaFollower();

  void Start() ABSL_LOCKS_EXCLUDED(mu_);
  // Stops following (a stream in flight is cancelled) and joins the thread.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // The replica's side of GetReplicationStatus: primary, connected,
  // primary_sequence, lag.
  void FillStatus(v1::ReplicationStatus& status) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // One stream, until it ends; how it ended.
  absl::Status FollowOnce() ABSL_LOCKS_EXCLUDED(mu_);
  // A message from the primary arrived on a stream that began at `from`.
  void NoteHeard(const v1::WalBatch& batch, int64_t from) ABSL_LOCKS_EXCLUDED(mu_);

  storage::Database* const database_;
  const Options options_;
  ServerHealth* const health_;
  JsonLog* const log_;
  std::unique_ptr<v1::ReplicationService::Stub> stub_;

  mutable Mutex mu_;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
  CondVar stop_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The stream in flight, to cancel on Stop.
  grpc::ClientContext* stream_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool connected_ ABSL_GUARDED_BY(mu_) = false;
  int64_t primary_sequence_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t backlog_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time caught_up_ ABSL_GUARDED_BY(mu_) = absl::Now();
  std::string last_problem_ ABSL_GUARDED_BY(mu_);
};

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_REPLICA_FOLLOWER_H_
