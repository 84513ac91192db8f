// CalendarServiceImpl: the gRPC edge of duban.v1.CalendarService.
#ifndef DUBAN_SERVER_SERVICES_CALENDAR_SERVICE_H_
#define DUBAN_SERVER_SERVICES_CALENDAR_SERVICE_H_

#include "duban/v1/calendar_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

class CalendarServiceImpl final : public ServiceWithHandlers<v1::CalendarService> {
 public:
  // `backend` is not owned and must outlive the service.
  explicit CalendarServiceImpl(const Backend* backend) : backend_(*backend) {}

  grpc::Status GetCalendar(grpc::ServerContext* context, const v1::GetCalendarRequest* request,
                           v1::Calendar* response) override;
  grpc::Status LoadCalendar(grpc::ServerContext* context, const v1::LoadCalendarRequest* request,
                            v1::Calendar* response) override;
  grpc::Status GetCalendarStatus(grpc::ServerContext* context,
                                 const v1::GetCalendarStatusRequest* request,
                                 v1::CalendarStatus* response) override;
  grpc::Status AddWorkingDays(grpc::ServerContext* context,
                              const v1::AddWorkingDaysRequest* request,
                              v1::AddWorkingDaysResponse* response) override;

 private:
  const Backend& backend_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_CALENDAR_SERVICE_H_
