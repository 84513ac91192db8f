// ReplicationServiceImpl: the gRPC edge of duban.v1.ReplicationService —
// snapshots and the write-ahead log for replicas, fencing, status and
// promotion (docs/replication.md).
#ifndef DUBAN_SERVER_SERVICES_REPLICATION_SERVICE_H_
#define DUBAN_SERVER_SERVICES_REPLICATION_SERVICE_H_

#include "duban/v1/replication_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class ReplicationServiceImpl final : public ServiceWithHandlers<v1::ReplicationService> {
 public:
  // `backend` is not owned and must outlive the service; its `replication`
  // must be set.
  explicit ReplicationServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status FetchSnapshot(grpc::ServerContext* context,
                             const v1::FetchSnapshotRequest* request,
                             grpc::ServerWriter<v1::SnapshotChunk>* writer) override;
  grpc::Status StreamWal(grpc::ServerContext* context,
                         grpc::ServerReaderWriter<v1::WalBatch, v1::WalRequest>* stream) override;
  grpc::Status Fence(grpc::ServerContext* context, const v1::FenceRequest* request,
                     v1::ReplicationStatus* response) override;
  grpc::Status GetReplicationStatus(grpc::ServerContext* context,
                                    const v1::GetReplicationStatusRequest* request,
                                    v1::ReplicationStatus* response) override;
  grpc::Status PromoteReplica(grpc::ServerContext* context,
                              const v1::PromoteReplicaRequest* request,
                              v1::ReplicationStatus* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_REPLICATION_SERVICE_H_
