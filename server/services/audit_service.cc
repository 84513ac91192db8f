#include "server/services/audit_service.h"

#include <optional>

#include "base/checkpoint_signature.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/checkpoint_rules.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.AuditService", name); }

}  // namespace

v1::Checkpoint CheckpointOf(const storage::ChainPoint& point) {
  v1::Checkpoint checkpoint;
  checkpoint.set_cursor(static_cast<int64_t>(point.cursor));
  checkpoint.set_chain_sha256(point.sha256);
  checkpoint.set_log_entries(static_cast<int64_t>(point.entries));
  return checkpoint;
}

grpc::Status AuditServiceImpl::VerifyAudit(grpc::ServerContext* context,
                                           const v1::VerifyAuditRequest* request,
                                           v1::AuditReport* response) {
  return ServeUnary(
      *context, backend_, Method("VerifyAudit"), response,
      [&](const Caller&) -> absl::StatusOr<v1::AuditReport> {
        RETURN_IF_ERROR(
            Validate(*request, backend_.signer != nullptr ? backend_.signer->public_key() : ""));
        std::optional<storage::ChainPoint> checkpoint;
        if (request->has_checkpoint()) {
          const v1::Checkpoint& given = request->checkpoint();
          checkpoint = storage::ChainPoint{.cursor = static_cast<uint64_t>(given.cursor()),
                                           .sha256 = given.chain_sha256(),
                                           .entries = static_cast<uint64_t>(given.log_entries())};
        }
        ASSIGN_OR_RETURN(storage::AuditReport report,
                         storage::VerifyAudit(*backend_.database, checkpoint));
        v1::AuditReport reply;
        reply.set_ok(report.ok);
        reply.set_entry(report.entry);
        reply.set_problem(report.problem);
        reply.set_log_entries(static_cast<int64_t>(report.log_entries));
        reply.set_tickets(static_cast<int64_t>(report.tickets));
        reply.set_events(static_cast<int64_t>(report.events));
        *reply.mutable_head() = CheckpointOf(report.head);
        return reply;
      });
}

grpc::Status AuditServiceImpl::CreateCheckpoint(grpc::ServerContext* context,
                                                const v1::CreateCheckpointRequest*,
                                                v1::Checkpoint* response) {
  return ServeUnary(*context, backend_, Method("CreateCheckpoint"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Checkpoint> {
                      if (backend_.signer == nullptr) {
                        return ErrorWithReason(
                            absl::StatusCode::kFailedPrecondition, "NO_AUDIT_KEY",
                            "this server has no audit key to sign with (duband --audit_key)");
                      }
                      ASSIGN_OR_RETURN(storage::ChainPoint head,
                                       storage::AuditHead(*backend_.database));
                      v1::Checkpoint checkpoint = CheckpointOf(head);
                      *checkpoint.mutable_create_time() =
                          ToTimestamp(absl::FromUnixSeconds(absl::ToUnixSeconds(backend_.Now())));
                      RETURN_IF_ERROR(backend_.signer->Sign(checkpoint));
                      return checkpoint;
                    });
}

}  // namespace duban
