#include "server/services/calendar_service.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/calendar_data.h"
#include "domain/calendar_status.h"
#include "domain/escalation_ladder.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.CalendarService", name); }

}  // namespace

grpc::Status CalendarServiceImpl::GetCalendar(grpc::ServerContext* context,
                                              const v1::GetCalendarRequest*,
                                              v1::Calendar* response) {
  return ServeUnary(*context, backend_, Method("GetCalendar"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Calendar> {
                      return backend_.settings->calendar_data();
                    });
}

grpc::Status CalendarServiceImpl::LoadCalendar(grpc::ServerContext* context,
                                               const v1::LoadCalendarRequest* request,
                                               v1::Calendar* response) {
  const std::string method = Method("LoadCalendar");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::Calendar> {
        ASSIGN_OR_RETURN(
            v1::Calendar calendar,
            backend_.settings->PutCalendarYears(
                RequestKeyFor(caller, method, *request), backend_.Now(),
                [&](const v1::Calendar& current) { return YearsToLoad(*request, current); }));
        // Escalation times of open tickets follow the new working days.
        const CallContext call = backend_.ContextFor(caller);
        RETURN_IF_ERROR(backend_.tickets->UpdateOpenTickets(
            call.loop.now, [&](const v1::Ticket& ticket) -> absl::StatusOr<TicketChange> {
              return Reschedule(ticket, call.loop);
            }));
        return calendar;
      });
}

grpc::Status CalendarServiceImpl::GetCalendarStatus(grpc::ServerContext* context,
                                                    const v1::GetCalendarStatusRequest*,
                                                    v1::CalendarStatus* response) {
  return ServeUnary(*context, backend_, Method("GetCalendarStatus"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::CalendarStatus> {
                      return CalendarStatusOf(backend_.settings->calendar_data(),
                                              ShippedCalendarYears(), backend_.Now(),
                                              backend_.settings->calendar()->zone());
                    });
}

grpc::Status CalendarServiceImpl::AddWorkingDays(grpc::ServerContext* context,
                                                 const v1::AddWorkingDaysRequest* request,
                                                 v1::AddWorkingDaysResponse* response) {
  return ServeUnary(*context, backend_, Method("AddWorkingDays"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::AddWorkingDaysResponse> {
                      return duban::AddWorkingDays(*request, *backend_.settings->calendar(),
                                                   backend_.Now());
                    });
}

}  // namespace duban
