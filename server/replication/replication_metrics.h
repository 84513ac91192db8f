// ReplicationMetrics: the Prometheus view of GetReplicationStatus, read
// when scraped (docs/replication.md, docs/operations.md):
//
//   duban_replication_role{role}              1 for the server's role
//   duban_replication_epoch                   the store's epoch
//   duban_replication_sequence                the newest sequence written
//   duban_replication_connected               replica: 1 while streaming
//   duban_replication_lag_batches{replica}    behind the primary, in batches
//   duban_replication_lag_seconds{replica}    since last caught up
//   duban_replication_replicas_connected      primary: replicas streaming
//   duban_replication_degraded                primary: 1 while answering
//                                             without its sync replicas
//   duban_replication_sync_timeouts_total     answers that timed out waiting
//   duban_replication_snapshots_total         snapshots fetched or served
//
// On a primary the lag gauges carry a `replica` label per replica; on a
// replica, none.
#ifndef DUBAN_SERVER_REPLICATION_REPLICATION_METRICS_H_
#define DUBAN_SERVER_REPLICATION_REPLICATION_METRICS_H_

#include <prometheus/collectable.h>

#include <vector>

#include "server/replication/replication_role.h"

namespace duban {

class ReplicationMetrics final : public prometheus::Collectable {
 public:
  // `role` is not owned and must outlive this.
  explicit ReplicationMetrics(const ReplicationRole* role) : role_(*role) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const ReplicationRole& role_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_REPLICATION_REPLICATION_METRICS_H_
