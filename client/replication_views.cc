// How the CLI shows a server's part in replication.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/output.h"
#include "client/views.h"

namespace duban::cli {
namespace {

std::string Seconds(const google::protobuf::Duration& duration) {
  return absl::StrFormat("%.1fs", static_cast<double>(duration.seconds()) +
                                      static_cast<double>(duration.nanos()) / 1e9);
}

std::string RoleName(v1::ReplicationRole role) {
  switch (role) {
    case v1::REPLICATION_ROLE_PRIMARY:
      return "PRIMARY";
    case v1::REPLICATION_ROLE_REPLICA:
      return "REPLICA";
    case v1::REPLICATION_ROLE_FENCED:
      return "FENCED (takes no writes)";
    default:
      return "?";
  }
}

}  // namespace

void ShowReplicationStatus(Session& session, const v1::ReplicationStatus& status) {
  if (session.format() == OutputFormat::kJson) return PrintJson(session.out(), status);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"role", RoleName(status.role())},
      {"store", status.store_id()},
      {"epoch", absl::StrCat(status.epoch())},
      {"sequence", absl::StrCat(status.sequence())}};
  if (status.role() == v1::REPLICATION_ROLE_REPLICA) {
    fields.push_back({"primary", status.primary()});
    fields.push_back({"connected", status.connected() ? "yes" : "NO"});
    fields.push_back({"primary sequence", absl::StrCat(status.primary_sequence())});
    fields.push_back({"lag batches", absl::StrCat(status.lag_batches())});
    fields.push_back({"lag", Seconds(status.lag())});
  } else {
    fields.push_back({"sync replicas", absl::StrCat(status.sync_replicas())});
    fields.push_back({"degraded", status.degraded() ? "YES: answering without replicas" : "no"});
    fields.push_back({"sync timeouts", absl::StrCat(status.sync_timeouts())});
    if (status.fenced_by_epoch() != 0) {
      fields.push_back({"fenced by epoch", absl::StrCat(status.fenced_by_epoch())});
    }
  }
  fields.push_back({"snapshots", absl::StrCat(status.snapshots())});
  PrintFields(session.out(), session.format(), fields);
  if (status.role() == v1::REPLICATION_ROLE_REPLICA) return;
  session.out() << "\n";
  Table table({"REPLICA", "PEER", "APPLIED", "LAG BATCHES", "LAG", "CONNECTED"});
  for (const v1::ReplicaLink& link : status.replicas()) {
    table.AddRow({link.principal(), link.peer(), absl::StrCat(link.applied_sequence()),
                  absl::StrCat(link.lag_batches()), Seconds(link.lag()),
                  FormatTime(link.connect_time(), session.zone())});
  }
  table.Print(session.out(), session.format());
}

}  // namespace duban::cli
