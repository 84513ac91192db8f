#include "server/services/report_service.h"

#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/county_report.h"
#include "domain/time_fields.h"
#include "server/edge/unary_call.h"
#include "server/services/records.h"
#include "server/services/scores.h"

namespace duban {

grpc::Status ReportServiceImpl::GetCountyReport(grpc::ServerContext* context,
                                                const v1::GetCountyReportRequest* request,
                                                v1::CountyReport* response) {
  return ServeUnary(
      *context, backend_, FullMethod("duban.v1.ReportService", "GetCountyReport"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::CountyReport> {
        RETURN_IF_ERROR(ValidateAsOf("as_of_time", request->as_of_time()));
        CountyReportInputs inputs;
        ASSIGN_OR_RETURN(inputs.period, ResolveCallPeriod(backend_, request->period()));
        inputs.as_of =
            IsSet(request->as_of_time()) ? FromTimestamp(request->as_of_time()) : backend_.Now();
        ASSIGN_OR_RETURN(inputs.scoreboard,
                         CountyScoreboard(backend_, caller, inputs.period.year));
        RETURN_IF_ERROR(backend_.tickets->ForEachTicketOf(
            inputs.period, [&](const v1::Ticket& ticket) { inputs.tickets.push_back(ticket); }));
        for (int kind = v1::UnitKind_MIN; kind <= v1::UnitKind_MAX; ++kind) {
          if (!v1::UnitKind_IsValid(kind) || kind == v1::UNIT_KIND_UNSPECIFIED) continue;
          for (v1::Unit& unit : backend_.directory->UnitsOfKind(static_cast<v1::UnitKind>(kind))) {
            ASSIGN_OR_RETURN(inputs.records[unit.name()],
                             RecordOf(backend_, unit.name(), inputs.period));
            inputs.units.push_back(std::move(unit));
          }
        }
        return BuildCountyReport(inputs);
      });
}

}  // namespace duban
