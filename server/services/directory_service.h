// DirectoryServiceImpl: the gRPC edge of duban.v1.DirectoryService. Rules
// live in domain/directory_rules.h, bytes in
// storage/directory_store.h.
//
// Thread-safe.
#ifndef DUBAN_SERVER_SERVICES_DIRECTORY_SERVICE_H_
#define DUBAN_SERVER_SERVICES_DIRECTORY_SERVICE_H_

#include "duban/v1/directory_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class DirectoryServiceImpl final : public ServiceWithHandlers<v1::DirectoryService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit DirectoryServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status CreateUnit(grpc::ServerContext* context, const v1::CreateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status UpdateUnit(grpc::ServerContext* context, const v1::UpdateUnitRequest* request,
                          v1::Unit* response) override;
  grpc::Status GetUnit(grpc::ServerContext* context, const v1::GetUnitRequest* request,
                       v1::Unit* response) override;
  grpc::Status ListUnits(grpc::ServerContext* context, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;

  grpc::Status CreatePrincipal(grpc::ServerContext* context,
                               const v1::CreatePrincipalRequest* request,
                               v1::Principal* response) override;
  grpc::Status UpdatePrincipal(grpc::ServerContext* context,
                               const v1::UpdatePrincipalRequest* request,
                               v1::Principal* response) override;
  grpc::Status GetPrincipal(grpc::ServerContext* context, const v1::GetPrincipalRequest* request,
                            v1::Principal* response) override;
  grpc::Status ListPrincipals(grpc::ServerContext* context,
                              const v1::ListPrincipalsRequest* request,
                              v1::ListPrincipalsResponse* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_DIRECTORY_SERVICE_H_
