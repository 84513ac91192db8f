// DrawServiceImpl: the gRPC edge of duban.v1.DrawService — reproducible
// spot-check draws, and the inspection tickets they open.
#ifndef DUBAN_SERVER_SERVICES_DRAW_SERVICE_H_
#define DUBAN_SERVER_SERVICES_DRAW_SERVICE_H_

#include "duban/v1/draw_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class DrawServiceImpl final : public ServiceWithHandlers<v1::DrawService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit DrawServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status DrawSpotCheck(grpc::ServerContext* context, const v1::DrawSpotCheckRequest* request,
                             v1::Draw* response) override;
  grpc::Status GetDraw(grpc::ServerContext* context, const v1::GetDrawRequest* request,
                       v1::Draw* response) override;
  grpc::Status ListDraws(grpc::ServerContext* context, const v1::ListDrawsRequest* request,
                         v1::ListDrawsResponse* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_DRAW_SERVICE_H_
