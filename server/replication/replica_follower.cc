#include "server/replication/replica_follower.h"

#include "absl/strings/str_cat.h"
#include "base/time_convert.h"
#include "server/runtime/json_log.h"
#include "server/runtime/server_health.h"

namespace duban {

ReplicaFollower::ReplicaFollower(storage::Database* database, Options options,
                                 ServerHealth* health, JsonLog* log)
    : database_(database),
      options_(std::move(options)),
      health_(health),
      log_(log),
      stub_(v1::ReplicationService::NewStub(options_.channel)) {}

ReplicaFollower::~ReplicaFollower() { Stop(); }

void ReplicaFollower::Start() {
  MutexLock lock(&mu_);
  thread_ = std::thread([this] { Run(); });
}

void ReplicaFollower::Stop() {
  std::thread thread;
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->TryCancel();
    thread = std::move(thread_);
  }
  stop_.SignalAll();
  if (thread.joinable()) thread.join();
}

void ReplicaFollower::Run() {
  End end = End::kStopped;
  absl::Status why;
  while (true) {
    why = FollowOnce();
    {
      MutexLock lock(&mu_);
      connected_ = false;
      if (stopping_) {
        end = End::kStopped;
        break;
      }
    }
    if (absl::IsOutOfRange(why)) {
      end = End::kResync;
      break;
    }
    if (absl::IsFailedPrecondition(why) || absl::IsDataLoss(why) ||
        absl::IsPermissionDenied(why) || absl::IsUnauthenticated(why)) {
      end = End::kFatal;
      break;
    }
    const std::string detail =
        absl::StrCat("not following ", options_.primary, ": ", why.message());
    health_->Set(ServerHealth::kReplication, false, detail, absl::Now());
    MutexLock lock(&mu_);
    if (last_problem_ != why.message()) {
      last_problem_ = std::string(why.message());
      log_->Write(LogLevel::kWarning, detail + " (trying again every second)");
    }
    // Again after a second, or at once on Stop.
    stop_.WaitWithTimeout(&mu_, absl::Seconds(1));
    if (stopping_) break;
  }
  if (end != End::kStopped) {
    health_->Set(ServerHealth::kReplication, false,
                 absl::StrCat("stopped following ", options_.primary, ": ", why.message()),
                 absl::Now());
    if (options_.on_end) options_.on_end(end, why);
  }
}

absl::Status ReplicaFollower::FollowOnce() {
  std::unique_ptr<grpc::ClientContext> context =
      PeerContext(options_.credentials, absl::InfiniteDuration());
  {
    MutexLock lock(&mu_);
    if (stopping_) return absl::CancelledError("stopped");
    stream_ = context.get();
  }
  auto stream = stub_->StreamWal(context.get());
  const v1::ReplicationState state = database_->replication_state();
  v1::WalRequest first;
  first.set_store_id(state.store_id());
  first.set_epoch(state.epoch());
  first.set_from_sequence(static_cast<int64_t>(database_->latest_sequence()) + 1);
  first.set_applied_sequence(static_cast<int64_t>(database_->latest_sequence()));
  absl::Status ended;
  v1::WalBatch batch;
  if (stream->Write(first)) {
    while (stream->Read(&batch)) {
      if (batch.end_code() != 0) {
        ended = absl::Status(static_cast<absl::StatusCode>(batch.end_code()),
                             absl::StrCat("the primary ", options_.primary, ": ",
                                          batch.end_message()));
        stream->WritesDone();
        continue;  // to the end of the stream
      }
      if (!batch.data().empty()) {
        absl::StatusOr<storage::AppliedBatch> applied =
            database_->ApplyReplicated(static_cast<uint64_t>(batch.sequence()), batch.data());
        if (!applied.ok()) {
          ended = applied.status();
          context->TryCancel();
          break;
        }
        if (options_.on_applied) options_.on_applied(*applied);
      }
      if (!ended.ok()) continue;
      NoteHeard(batch, first.from_sequence());
      v1::WalRequest ack;
      ack.set_applied_sequence(static_cast<int64_t>(database_->latest_sequence()));
      if (!stream->Write(ack)) break;
    }
  }
  grpc::Status finished = stream->Finish();
  {
    MutexLock lock(&mu_);
    stream_ = nullptr;
  }
  if (!ended.ok()) return ended;
  if (finished.ok()) return absl::UnavailableError("the primary ended the stream");
  return FromPeer(finished, absl::StrCat("the primary ", options_.primary));
}

void ReplicaFollower::NoteHeard(const v1::WalBatch& batch, int64_t from) {
  const int64_t applied = static_cast<int64_t>(database_->latest_sequence());
  bool first_contact = false;
  {
    MutexLock lock(&mu_);
    first_contact = !connected_;
    connected_ = true;
    primary_sequence_ = batch.primary_sequence();
    backlog_ = batch.lag_batches();
    if (applied >= primary_sequence_) caught_up_ = absl::Now();
    if (first_contact) last_problem_.clear();
  }
  if (first_contact) {
    health_->Set(ServerHealth::kReplication, true, "", absl::Now());
    log_->Write(LogLevel::kInfo,
                absl::StrCat("following ", options_.primary, " from sequence ", from),
                {{"primary", options_.primary}, {"sequence", from}});
  }
}

void ReplicaFollower::FillStatus(v1::ReplicationStatus& status) const {
  const int64_t applied = static_cast<int64_t>(database_->latest_sequence());
  MutexLock lock(&mu_);
  status.set_primary(options_.primary);
  status.set_connected(connected_);
  status.set_primary_sequence(std::max(primary_sequence_, applied));
  const bool behind = primary_sequence_ > applied;
  status.set_lag_batches(behind ? std::max<int64_t>(backlog_, 1) : 0);
  *status.mutable_lag() = ToDuration(behind ? absl::Now() - caught_up_ : absl::ZeroDuration());
}

}  // namespace duban
