#include "server/replication/replication_metrics.h"

#include "server/runtime/metric_family.h"

namespace duban {
namespace {

double Seconds(const google::protobuf::Duration& duration) {
  return static_cast<double>(duration.seconds()) + static_cast<double>(duration.nanos()) / 1e9;
}

}  // namespace

std::vector<prometheus::MetricFamily> ReplicationMetrics::Collect() const {
  const v1::ReplicationStatus status = role_.Status();
  prometheus::MetricFamily role =
      GaugeFamily("duban_replication_role", "1 for this server's replication role.");
  for (const auto& [value, name] : {std::pair{v1::REPLICATION_ROLE_PRIMARY, "primary"},
                                    std::pair{v1::REPLICATION_ROLE_REPLICA, "replica"},
                                    std::pair{v1::REPLICATION_ROLE_FENCED, "fenced"}}) {
    AddValue(role, status.role() == value ? 1 : 0, {{"role", name}});
  }
  prometheus::MetricFamily epoch = GaugeFamily("duban_replication_epoch", "The store's epoch.");
  AddValue(epoch, static_cast<double>(status.epoch()));
  prometheus::MetricFamily sequence =
      GaugeFamily("duban_replication_sequence", "The newest write-ahead-log sequence written.");
  AddValue(sequence, static_cast<double>(status.sequence()));
  prometheus::MetricFamily lag_batches = GaugeFamily(
      "duban_replication_lag_batches", "Batches a replica is behind its primary.");
  prometheus::MetricFamily lag_seconds = GaugeFamily(
      "duban_replication_lag_seconds", "Seconds since a replica last had all its primary had.");
  prometheus::MetricFamily snapshots = CounterFamily(
      "duban_replication_snapshots_total", "Snapshots fetched (a replica) or served (a primary).");
  AddValue(snapshots, static_cast<double>(status.snapshots()));
  std::vector<prometheus::MetricFamily> families;
  if (status.role() == v1::REPLICATION_ROLE_REPLICA) {
    prometheus::MetricFamily connected = GaugeFamily(
        "duban_replication_connected", "1 while this replica streams from its primary.");
    AddValue(connected, status.connected() ? 1 : 0);
    AddValue(lag_batches, static_cast<double>(status.lag_batches()));
    AddValue(lag_seconds, Seconds(status.lag()));
    families.push_back(std::move(connected));
  } else {
    for (const v1::ReplicaLink& link : status.replicas()) {
      AddValue(lag_batches, static_cast<double>(link.lag_batches()),
               {{"replica", link.principal()}, {"peer", link.peer()}});
      AddValue(lag_seconds, Seconds(link.lag()),
               {{"replica", link.principal()}, {"peer", link.peer()}});
    }
    prometheus::MetricFamily connected = GaugeFamily(
        "duban_replication_replicas_connected", "Replicas streaming from this primary.");
    AddValue(connected, status.replicas_size());
    prometheus::MetricFamily degraded = GaugeFamily(
        "duban_replication_degraded",
        "1 while this primary answers without waiting for its --sync_replicas.");
    AddValue(degraded, status.degraded() ? 1 : 0);
    prometheus::MetricFamily timeouts = CounterFamily(
        "duban_replication_sync_timeouts_total",
        "Answers given after --sync_timeout without the replicas having the write.");
    AddValue(timeouts, static_cast<double>(status.sync_timeouts()));
    families.push_back(std::move(connected));
    families.push_back(std::move(degraded));
    families.push_back(std::move(timeouts));
  }
  families.push_back(std::move(role));
  families.push_back(std::move(epoch));
  families.push_back(std::move(sequence));
  families.push_back(std::move(lag_batches));
  families.push_back(std::move(lag_seconds));
  families.push_back(std::move(snapshots));
  return families;
}

}  // namespace duban
