// ReplicationRole: this server's part in its county's replication
// (docs/replication.md) — a primary with the replicas streaming from it
// (ReplicaLinks), or a replica following its primary (ReplicaFollower) —
// what GetReplicationStatus reports, and what the server must do next when
// following ends or a promotion is asked for (DubanServer restarts its
// services on it: server_supervisor.h).
//
// Thread-safe: mu_ guards the members below it; taken before neither the
// follower's nor the links' lock is held.
#ifndef DUBAN_SERVER_REPLICATION_REPLICATION_ROLE_H_
#define DUBAN_SERVER_REPLICATION_REPLICATION_ROLE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "base/mutex.h"
#include "duban/v1/replication_service.pb.h"
#include "server/replication/peer_channel.h"
#include "server/replication/replica_follower.h"
#include "server/replication/replica_links.h"
#include "storage/database.h"

namespace duban {

class JsonLog;
class ServerHealth;

class ReplicationRole {
 public:
  // What the server does next.
  enum class Next {
    kStop,     // it is shutting down
    kResync,   // a replica that must fetch a snapshot again
    kPromote,  // a replica asked to become the primary
    kFatal     // a replica that cannot follow its primary
  };

  struct Options {
    // The primary a replica follows; empty on a primary.
    std::string primary;
    PeerCredentials credentials;
    ReplicaLinks::Options sync;
    // The store's directory (snapshots are made in it).
    std::string data_dir;
    // Snapshots fetched or served so far by this process.
    int64_t snapshots = 0;
  };

  // `database`, `health` and `log` are not owned and must outlive this.
  ReplicationRole(storage::Database* database, Options options, ServerHealth* health,
                  JsonLog* log);
  ReplicationRole(const ReplicationRole&) = delete;
  ReplicationRole& operator=(const ReplicationRole&) = delete;
  ~ReplicationRole();

  // A replica starts following; `on_applied` runs after each batch.
  [[nodiscard]] absl::Status StartFollowing(
      std::function<void(const storage::AppliedBatch&)> on_applied);

  bool replica() const { return !options_.primary.empty(); }
  const Options& options() const { return options_; }
  ReplicaLinks& links() { return links_; }

  v1::ReplicationStatus Status() const;

  // On a replica: stops following and has the server promote it.
  // FAILED_PRECONDITION on a primary.
  [[nodiscard]] absl::Status RequestPromotion() ABSL_LOCKS_EXCLUDED(mu_);
  // A primary that learned that `epoch` began elsewhere (from `whom`)
  // fences itself: no more writes (Database::Fence), health and log say so.
  [[nodiscard]] absl::Status FenceFor(int64_t epoch, const std::string& whom);

  // Blocks until the server has something to do; `why` says why for
  // kResync and kFatal.
  Next WaitForNext(absl::Status* why) ABSL_LOCKS_EXCLUDED(mu_);
  // The server is stopping: streams end, waiting writes go on, WaitForNext
  // returns kStop.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);
  bool closed() const ABSL_LOCKS_EXCLUDED(mu_);

  void CountSnapshot() { ++snapshots_; }

 private:
  void SetNext(Next next, absl::Status why) ABSL_LOCKS_EXCLUDED(mu_);

  storage::Database* const database_;
  const Options options_;
  ServerHealth* const health_;
  JsonLog* const log_;
  ReplicaLinks links_;
  std::unique_ptr<ReplicaFollower> follower_;
  std::atomic<int64_t> snapshots_;

  mutable Mutex mu_;
  CondVar changed_;
  std::optional<Next> next_ ABSL_GUARDED_BY(mu_);
  absl::Status why_ ABSL_GUARDED_BY(mu_);
};

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_REPLICATION_ROLE_H_
