// AdminServiceImpl: the gRPC edge of duban.v1.AdminService — backups of the
// live store, the server's health and where its memory is.
#ifndef DUBAN_SERVER_SERVICES_ADMIN_SERVICE_H_
#define DUBAN_SERVER_SERVICES_ADMIN_SERVICE_H_


#include "base/mutex.h"
#include "duban/v1/admin_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class AdminServiceImpl final : public ServiceWithHandlers<v1::AdminService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit AdminServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status GetServerHealth(grpc::ServerContext* context,
                               const v1::GetServerHealthRequest* request,
                               v1::ServerHealth* response) override;
  grpc::Status GetServerStats(grpc::ServerContext* context,
                              const v1::GetServerStatsRequest* request,
                              v1::ServerStats* response) override;
  grpc::Status CreateBackup(grpc::ServerContext* context, const v1::CreateBackupRequest* request,
                            v1::Backup* response) override;

 private:
  const Backend& backend_;
  // One backup at a time.
  Mutex backup_mutex_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_ADMIN_SERVICE_H_
