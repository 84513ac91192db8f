#include "server/replication/replication_role.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_health.h"

namespace duban {

ReplicationRole::ReplicationRole(storage::Database* database, Options options,
                                 ServerHealth* health, JsonLog* log)
    : database_(database),
      options_(std::move(options)),
      health_(health),
      log_(log),
      links_(options_.sync, health, log, [] { return absl::Now(); }),
      snapshots_(options_.snapshots) {
  const int64_t fenced_by = database_->replication_state().fenced_by_epoch();
  if (fenced_by != 0) {
    health_->Set(ServerHealth::kReplication, false,
                 absl::StrCat("fenced: epoch ", fenced_by,
                              " began on a promoted replica; this server takes no writes"),
                 absl::Now());
  }
}

ReplicationRole::~ReplicationRole() {
  Close();
  follower_.reset();
}

absl::Status ReplicationRole::StartFollowing(
    std::function<void(const storage::AppliedBatch&)> on_applied) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                   PeerChannel(options_.primary, options_.credentials));
  health_->Set(ServerHealth::kReplication, false,
               absl::StrCat("not yet following ", options_.primary), absl::Now());
  follower_ = std::make_unique<ReplicaFollower>(
      database_,
      ReplicaFollower::Options{
          .primary = options_.primary,
          .channel = std::move(channel),
          .credentials = options_.credentials,
          .on_applied = std::move(on_applied),
          .on_end =
              [this](ReplicaFollower::End end, const absl::Status& why) {
                SetNext(end == ReplicaFollower::End::kResync ? Next::kResync : Next::kFatal,
                        why);
              }},
      health_, log_);
  follower_->Start();
  return absl::OkStatus();
}

v1::ReplicationStatus ReplicationRole::Status() const {
  const v1::ReplicationState state = database_->replication_state();
  const uint64_t latest = database_->latest_sequence();
  v1::ReplicationStatus status;
  status.set_store_id(state.store_id());
  status.set_epoch(state.epoch());
  status.set_sequence(static_cast<int64_t>(latest));
  status.set_snapshots(snapshots_.load());
  if (replica()) {
    status.set_role(v1::REPLICATION_ROLE_REPLICA);
    if (follower_) follower_->FillStatus(status);
    return status;
  }
  status.set_role(state.fenced_by_epoch() != 0 ? v1::REPLICATION_ROLE_FENCED
                                               : v1::REPLICATION_ROLE_PRIMARY);
  status.set_fenced_by_epoch(state.fenced_by_epoch());
  for (v1::ReplicaLink& link : links_.Links(latest)) *status.add_replicas() = std::move(link);
  status.set_sync_replicas(links_.sync_replicas());
  status.set_degraded(links_.degraded());
  status.set_sync_timeouts(links_.sync_timeouts());
  return status;
}

absl::Status ReplicationRole::RequestPromotion() {
  if (!replica()) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_A_REPLICA",
                           "this server is a primary already: only a replica is promoted");
  }
  {
    MutexLock lock(&mu_);
    if (next_.has_value()) {
      return absl::FailedPreconditionError("this replica is already stopping or promoting");
    }
  }
  // Nothing more is applied after this: the new epoch begins at the
  // sequence after the newest batch written here.
  if (follower_) follower_->Stop();
  log_->Write(LogLevel::kInfo,
              absl::StrCat("promotion asked for: stopped following ", options_.primary,
                           " at sequence ", database_->latest_sequence()),
              {{"sequence", static_cast<int64_t>(database_->latest_sequence())}});
  SetNext(Next::kPromote, absl::OkStatus());
  return absl::OkStatus();
}

absl::Status ReplicationRole::FenceFor(int64_t epoch, const std::string& whom) {
  const v1::ReplicationState state = database_->replication_state();
  if (epoch <= state.epoch() || state.fenced_by_epoch() >= epoch) return absl::OkStatus();
  RETURN_IF_ERROR(database_->Fence(epoch));
  const std::string detail = absl::StrCat(
      "fenced: epoch ", epoch, " began on ", whom, " (this server is at epoch ", state.epoch(),
      "); it takes no more writes — send them to the promoted replica");
  health_->Set(ServerHealth::kReplication, false, detail, absl::Now());
  log_->Write(LogLevel::kError, detail, {{"epoch", epoch}});
  return absl::OkStatus();
}

void ReplicationRole::SetNext(Next next, absl::Status why) {
  {
    MutexLock lock(&mu_);
    if (next_.has_value()) return;
    next_ = next;
    why_ = std::move(why);
  }
  changed_.SignalAll();
}

ReplicationRole::Next ReplicationRole::WaitForNext(absl::Status* why) {
  MutexLock lock(&mu_);
  while (!next_.has_value()) changed_.Wait(&mu_);
  if (why != nullptr) *why = why_;
  return *next_;
}

void ReplicationRole::Close() {
  links_.Close();
  if (follower_) follower_->Stop();
  SetNext(Next::kStop, absl::OkStatus());
}

bool ReplicationRole::closed() const {
  MutexLock lock(&mu_);
  return next_.has_value();
}

}  // namespace duban
