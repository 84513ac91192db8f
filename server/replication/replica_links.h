// ReplicaLinks: on a primary, the replicas streaming its write-ahead log,
// what each has written durably, and the semi-synchronous wait of a write
// for them (--sync_replicas, --sync_timeout; docs/replication.md).
//
//   ReplicaLinks links({.sync_replicas = 1, .sync_timeout = absl::Seconds(2)}, ...);
//   database.set_commit_waiter([&](uint64_t sequence) { links.WaitForReplicas(sequence); });
//   int id = links.Add("replica", "ipv4:10.0.0.2:51234");   // StreamWal
//   links.Ack(id, applied, database.latest_sequence());      // each acknowledgement
//   links.Remove(id);
//
// A write waits until sync_replicas replicas have written it, or for
// sync_timeout. On a timeout the write is answered anyway, the timeout is
// counted, and the primary is degraded — answering without waiting (the
// "duban.replication" health check says so) — until enough replicas have
// caught up with it again: MySQL's semi-synchronous replication.
//
// Thread-safe: mu_ guards every member below it; taken alone (health and
// log are called outside it).
#ifndef DUBAN_SERVER_REPLICATION_REPLICA_LINKS_H_
#define DUBAN_SERVER_REPLICATION_REPLICA_LINKS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "base/mutex.h"
#include "duban/v1/replication_service.pb.h"

namespace duban {

class JsonLog;
class ServerHealth;

class ReplicaLinks {
 public:
  struct Options {
    int sync_replicas = 0;
    absl::Duration sync_timeout = absl::Seconds(2);
  };

  // `health` and `log` are not owned and must outlive this.
  ReplicaLinks(Options options, ServerHealth* health, JsonLog* log,
               std::function<absl::Time()> now);
  ReplicaLinks(const ReplicaLinks&) = delete;
  ReplicaLinks& operator=(const ReplicaLinks&) = delete;

  // A replica began streaming; its id for Ack and Remove.
  int Add(const std::string& principal, const std::string& peer) ABSL_LOCKS_EXCLUDED(mu_);
  void Remove(int id) ABSL_LOCKS_EXCLUDED(mu_);
  // Replica `id` has written everything up to `applied`; the primary's
  // newest sequence is `latest`.
  void Ack(int id, uint64_t applied, uint64_t latest) ABSL_LOCKS_EXCLUDED(mu_);
  // Replica `id` was, when last counted, `batches` batches behind.
  void NoteBacklog(int id, uint64_t batches) ABSL_LOCKS_EXCLUDED(mu_);

  // Waits as described above for a write that ended at `sequence`.
  void WaitForReplicas(uint64_t sequence) ABSL_LOCKS_EXCLUDED(mu_);
  // Wakes every waiter; later waits return at once (the server stops).
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  // The links, with their lag behind `latest`; the rest of the status.
  std::vector<v1::ReplicaLink> Links(uint64_t latest) const ABSL_LOCKS_EXCLUDED(mu_);
  int sync_replicas() const { return options_.sync_replicas; }
  bool degraded() const ABSL_LOCKS_EXCLUDED(mu_);
  int64_t sync_timeouts() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Link {
    std::string principal;
    std::string peer;
    uint64_t applied = 0;
    uint64_t backlog = 0;
    absl::Time connected;
    // When it last had everything the primary had written.
    absl::Time caught_up;
  };
  int CountAtLeastLocked(uint64_t sequence) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetHealth(bool serving, const std::string& detail);

  const Options options_;
  ServerHealth* const health_;
  JsonLog* const log_;
  const std::function<absl::Time()> now_;

  mutable Mutex mu_;
  CondVar acked_;
  std::map<int, Link> links_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 1;
  bool degraded_ ABSL_GUARDED_BY(mu_) = false;
  int64_t timeouts_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_REPLICA_LINKS_H_
