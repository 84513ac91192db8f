#include "server/services/replication_service.h"

#include <algorithm>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/sha256.h"
#include "base/mutex.h"
#include "base/status_macros.h"
#include "server/edge/unary_call.h"
#include "server/replication/replication_role.h"
#include "storage/replication_state.h"
#include "storage/snapshot.h"
#include "storage/wal_tail.h"

namespace duban {
namespace {

constexpr absl::string_view kService = "duban.v1.ReplicationService";
constexpr size_t kChunkBytes = 1 << 20;
// How long a stream waits for a write before it sends a heartbeat, and how
// often it counts a replica's backlog.
constexpr absl::Duration kHeartbeat = absl::Seconds(1);
constexpr uint64_t kMaxCountedBacklog = 100000;

// FAILED_PRECONDITION unless this server is a primary that takes writes.
absl::Status CheckServesReplicas(const Backend& backend) {
  if (backend.replication->replica()) {
    return ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "READ_ONLY_REPLICA",
        absl::StrCat("this server is itself a replica of ",
                     backend.replication->options().primary, ": follow the primary"));
  }
  if (const int64_t epoch = backend.database->replication_state().fenced_by_epoch(); epoch) {
    return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "FENCED_PRIMARY",
                           absl::StrCat("this server was fenced by epoch ", epoch,
                                        ": follow the promoted replica"));
  }
  return absl::OkStatus();
}

// Sends `file` of the snapshot in chunks, its size and SHA-256 on the last.
absl::Status SendFile(const storage::StoreSnapshot& snapshot, const std::string& file,
                      grpc::ServerWriter<v1::SnapshotChunk>& writer) {
  std::ifstream in(absl::StrCat(snapshot.directory(), "/", file), std::ios::binary);
  if (!in) return absl::InternalError(absl::StrCat("open snapshot file ", file));
  Sha256Stream hash;
  std::string buffer(kChunkBytes, '\0');
  int64_t offset = 0;
  while (true) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const size_t got = static_cast<size_t>(in.gcount());
    if (in.bad()) return absl::InternalError(absl::StrCat("read snapshot file ", file));
    const bool last = in.eof();
    v1::SnapshotChunk chunk;
    chunk.set_file(file);
    chunk.set_offset(offset);
    chunk.set_data(buffer.data(), got);
    hash.Add(absl::string_view(buffer.data(), got));
    offset += static_cast<int64_t>(got);
    if (last) {
      chunk.set_file_size(offset);
      chunk.set_file_sha256(hash.Finish());
    }
    if (!writer.Write(chunk)) return absl::CancelledError("the replica went away");
    if (last) return absl::OkStatus();
  }
}

}  // namespace

grpc::Status ReplicationServiceImpl::FetchSnapshot(grpc::ServerContext* context,
                                                   const v1::FetchSnapshotRequest*,
                                                   grpc::ServerWriter<v1::SnapshotChunk>* writer) {
  absl::StatusOr<Caller> caller = AdmitCall(*context, backend_, FullMethod(kService, "FetchSnapshot"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status serves = CheckServesReplicas(backend_); !serves.ok()) {
    return ToGrpcStatus(serves);
  }
  absl::StatusOr<std::unique_ptr<storage::StoreSnapshot>> snapshot =
      storage::StoreSnapshot::Create(*backend_.database, backend_.replication->options().data_dir);
  if (!snapshot.ok()) return ToGrpcStatus(snapshot.status());
  backend_.replication->CountSnapshot();
  const v1::ReplicationState state = backend_.database->replication_state();
  v1::SnapshotChunk header;
  header.set_store_id(state.store_id());
  header.set_epoch(state.epoch());
  header.set_file_count(static_cast<int64_t>((*snapshot)->files().size()));
  if (!writer->Write(header)) return grpc::Status::CANCELLED;
  for (const std::string& file : (*snapshot)->files()) {
    if (absl::Status sent = SendFile(**snapshot, file, *writer); !sent.ok()) {
      return ToGrpcStatus(sent);
    }
  }
  return grpc::Status::OK;
}

grpc::Status ReplicationServiceImpl::StreamWal(
    grpc::ServerContext* context, grpc::ServerReaderWriter<v1::WalBatch, v1::WalRequest>* stream) {
  absl::StatusOr<Caller> caller = AdmitCall(*context, backend_, FullMethod(kService, "StreamWal"));
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  v1::WalRequest first;
  if (!stream->Read(&first)) return grpc::Status::CANCELLED;
  storage::Database& database = *backend_.database;
  ReplicationRole& role = *backend_.replication;
  const v1::ReplicationState state = database.replication_state();
  if (first.store_id() == state.store_id() && first.epoch() > state.epoch()) {
    // A replica that has seen a newer epoch: a replica was promoted while
    // this server was away.
    if (absl::Status fenced =
            role.FenceFor(first.epoch(), absl::StrCat("a replica (", context->peer(), ")"));
        !fenced.ok()) {
      return ToGrpcStatus(fenced);
    }
    return ToGrpcStatus(ErrorWithReason(
        absl::StatusCode::kFailedPrecondition, "NEWER_EPOCH",
        absl::StrCat("the caller is at epoch ", first.epoch(), ", newer than this server's ",
                     state.epoch(), ": this server is fenced now. A promoted server runs "
                     "without --replica_of")));
  }
  if (absl::Status serves = CheckServesReplicas(backend_); !serves.ok()) {
    return ToGrpcStatus(serves);
  }
  if (first.from_sequence() < 1) {
    return ToGrpcStatus(InvalidField("from_sequence", "must be at least 1"));
  }
  if (absl::Status follows =
          storage::CheckFollows(state, static_cast<int64_t>(database.latest_sequence()),
                                first.store_id(), first.epoch(), first.from_sequence());
      !follows.ok()) {
    return ToGrpcStatus(follows);
  }

  ReplicaLinks& links = role.links();
  const int id = links.Add(caller->principal, context->peer());
  links.Ack(id, static_cast<uint64_t>(first.applied_sequence()), database.latest_sequence());
  Notification replica_closed;
  std::thread acks([&] {
    v1::WalRequest ack;
    while (stream->Read(&ack)) {
      links.Ack(id, static_cast<uint64_t>(ack.applied_sequence()), database.latest_sequence());
    }
    replica_closed.Notify();
  });
  storage::WalTail tail(&database, static_cast<uint64_t>(first.from_sequence()));
  absl::Status ended = absl::CancelledError("the replica went away");
  absl::Time counted = absl::InfinitePast();
  uint64_t backlog = 0;
  while (!context->IsCancelled() && !role.closed()) {
    if (absl::Status serves = CheckServesReplicas(backend_); !serves.ok()) {
      ended = serves;
      break;
    }
    absl::StatusOr<std::optional<storage::WalTail::Batch>> next = tail.Next(kHeartbeat);
    if (!next.ok()) {
      ended = next.status();
      break;
    }
    v1::WalBatch out;
    if (next->has_value()) {
      out.set_sequence(static_cast<int64_t>((*next)->sequence));
      out.set_data(std::move((*next)->data));
    }
    out.set_primary_epoch(database.replication_state().epoch());
    out.set_primary_sequence(static_cast<int64_t>(database.latest_sequence()));
    if (absl::Now() - counted >= kHeartbeat) {
      // Not yet sent, so not yet written there.
      backlog = storage::CountBatchesAfter(database, tail.next_sequence() - 1,
                                           kMaxCountedBacklog);
      links.NoteBacklog(id, backlog);
      counted = absl::Now();
    }
    out.set_lag_batches(static_cast<int64_t>(backlog));
    if (!stream->Write(out)) break;
  }
  if (role.closed()) ended = absl::UnavailableError("the primary is shutting down");
  // Said in the stream too: the call's own status arrives only once the
  // replica has half-closed, and the reader of its acknowledgements must
  // end before this returns.
  v1::WalBatch end;
  end.set_end_code(static_cast<int32_t>(ended.code()));
  end.set_end_message(std::string(ended.message()));
  if (context->IsCancelled() || !stream->Write(end) ||
      !replica_closed.WaitForNotificationWithTimeout(kHeartbeat * 5)) {
    context->TryCancel();
  }
  acks.join();
  links.Remove(id);
  return ToGrpcStatus(ended);
}

grpc::Status ReplicationServiceImpl::Fence(grpc::ServerContext* context,
                                           const v1::FenceRequest* request,
                                           v1::ReplicationStatus* response) {
  return ServeUnary(*context, backend_, FullMethod(kService, "Fence"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ReplicationStatus> {
                      const v1::ReplicationState state = backend_.database->replication_state();
                      if (request->store_id() != state.store_id()) {
                        return InvalidField("store_id",
                                            absl::StrCat("is not this server's store (",
                                                         state.store_id(), ")"));
                      }
                      if (!backend_.replication->replica()) {
                        RETURN_IF_ERROR(backend_.replication->FenceFor(
                            request->epoch(), absl::StrCat("a promoted replica (",
                                                           context->peer(), ")")));
                      }
                      return backend_.replication->Status();
                    });
}

grpc::Status ReplicationServiceImpl::GetReplicationStatus(
    grpc::ServerContext* context, const v1::GetReplicationStatusRequest* request,
    v1::ReplicationStatus* response) {
  return ServeUnary(
      *context, backend_, FullMethod(kService, "GetReplicationStatus"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::ReplicationStatus> {
        if (request->wait_for_sequence() < 0) {
          return InvalidField("wait_for_sequence", "must not be negative");
        }
        const uint64_t wanted = static_cast<uint64_t>(request->wait_for_sequence());
        if (wanted > 0 && !backend_.database->WaitForSequence(
                              wanted, std::min(caller.deadline - absl::Now(), absl::Hours(1)))) {
          return absl::DeadlineExceededError(
              absl::StrCat("this server had not written sequence ", wanted,
                           " by the call's deadline (it has ",
                           backend_.database->latest_sequence(), ")"));
        }
        return backend_.replication->Status();
      });
}

grpc::Status ReplicationServiceImpl::PromoteReplica(grpc::ServerContext* context,
                                                    const v1::PromoteReplicaRequest*,
                                                    v1::ReplicationStatus* response) {
  return ServeUnary(*context, backend_, FullMethod(kService, "PromoteReplica"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ReplicationStatus> {
                      RETURN_IF_ERROR(backend_.replication->RequestPromotion());
                      v1::ReplicationStatus status = backend_.replication->Status();
                      // The epoch the server begins as it restarts its services.
                      status.set_epoch(status.epoch() + 1);
                      status.set_role(v1::REPLICATION_ROLE_PRIMARY);
                      return status;
                    });
}

}  // namespace duban
