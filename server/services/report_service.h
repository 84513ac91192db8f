// ReportServiceImpl: the gRPC edge of duban.v1.ReportService — the county
// report built from tickets, referrals and the scoreboard.
#ifndef DUBAN_SERVER_SERVICES_REPORT_SERVICE_H_
#define DUBAN_SERVER_SERVICES_REPORT_SERVICE_H_

#include "duban/v1/report_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class ReportServiceImpl final : public ServiceWithHandlers<v1::ReportService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit ReportServiceImpl(const Backend* backend) : backend_(*backend) {}

  // Reads every ticket of the county: its cost follows the county's size.
  grpc::Status GetCountyReport(grpc::ServerContext* context,
                               const v1::GetCountyReportRequest* request,
                               v1::CountyReport* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_REPORT_SERVICE_H_
