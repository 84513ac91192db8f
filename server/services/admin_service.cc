#include "server/services/admin_service.h"

#include "base/errors.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "server/edge/unary_call.h"
#include "server/runtime/server_health.h"
#include "server/runtime/server_stats.h"
#include "server/services/audit_service.h"
#include "storage/backup.h"

namespace duban {

grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* context,
                                            const v1::CreateBackupRequest* request,
                                            v1::Backup* response) {
  return ServeUnary(
      *context, backend_, FullMethod("duban.v1.AdminService", "CreateBackup"), response,
      [&](const Caller&) -> absl::StatusOr<v1::Backup> {
        const std::string& directory = request->directory();
        if (directory.empty() || directory.front() != '/') {
          return InvalidField("directory", "must be an absolute path on the server's machine");
        }
        MutexLock lock(&backup_mutex_);
        ASSIGN_OR_RETURN(storage::BackupInfo info,
                         storage::CreateBackup(*backend_.database, directory));
        v1::Backup backup;
        backup.set_directory(directory);
        backup.set_backup_id(info.id);
        backup.set_size_bytes(static_cast<int64_t>(info.size_bytes));
        *backup.mutable_create_time() = ToTimestamp(info.create_time);
        *backup.mutable_audit_head() = CheckpointOf(info.audit_head);
        return backup;
      });
}

grpc::Status AdminServiceImpl::GetServerHealth(grpc::ServerContext* context,
                                               const v1::GetServerHealthRequest*,
                                               v1::ServerHealth* response) {
  return ServeUnary(*context, backend_, FullMethod("duban.v1.AdminService", "GetServerHealth"),
                    response, [&](const Caller&) -> absl::StatusOr<v1::ServerHealth> {
                      return backend_.health->Snapshot();
                    });
}

grpc::Status AdminServiceImpl::GetServerStats(grpc::ServerContext* context,
                                              const v1::GetServerStatsRequest*,
                                              v1::ServerStats* response) {
  return ServeUnary(*context, backend_, FullMethod("duban.v1.AdminService", "GetServerStats"),
                    response, [&](const Caller&) -> absl::StatusOr<v1::ServerStats> {
                      return ServerStatsOf(*backend_.database);
                    });
}

}  // namespace duban
