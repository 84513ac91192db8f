// AuditServiceImpl: the gRPC edge of duban.v1.AuditService — verifying the
// tamper-evident history, and signed checkpoints of its chain.
#ifndef DUBAN_SERVER_SERVICES_AUDIT_SERVICE_H_
#define DUBAN_SERVER_SERVICES_AUDIT_SERVICE_H_

#include "duban/v1/audit_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"
#include "storage/audit_verifier.h"

namespace duban {

// The (unsigned) checkpoint of a point of the audit chain.
v1::Checkpoint CheckpointOf(const storage::ChainPoint& point);

class AuditServiceImpl final : public ServiceWithHandlers<v1::AuditService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit AuditServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status VerifyAudit(grpc::ServerContext* context, const v1::VerifyAuditRequest* request,
                           v1::AuditReport* response) override;
  grpc::Status CreateCheckpoint(grpc::ServerContext* context,
                                const v1::CreateCheckpointRequest* request,
                                v1::Checkpoint* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_AUDIT_SERVICE_H_
