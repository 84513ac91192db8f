#include "server/report_service.h"

#include "server/domain/county_report.h"
#include "server/domain/status_macros.h"
#include "server/domain/time_convert.h"
#include "server/scores.h"
#include "server/unary_call.h"

namespace duban {

grpc::Status ReportServiceImpl::GetCountyReport(grpc::ServerContext* context,
                                                const v1::GetCountyReportRequest* request,
                                                v1::CountyReport* response) {
  return ServeUnary(
      *context, backend_, FullMethod("duban.v1.ReportService", "GetCountyReport"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::CountyReport> {
        const absl::Time as_of =
            IsSet(request->as_of_time()) ? FromTimestamp(request->as_of_time()) : backend_.Now();
        ASSIGN_OR_RETURN(v1::Scoreboard board,
                         CountyScoreboard(backend_, caller, request->period()));
        std::vector<v1::Ticket> tickets;
        RETURN_IF_ERROR(backend_.tickets->ForEach(
            TicketQuery(), [&](const v1::Ticket& ticket) { tickets.push_back(ticket); }));
        std::vector<v1::Referral> referrals;
        std::string token;
        do {
          ASSIGN_OR_RETURN(storage::ReferralPage page,
                           backend_.tickets->ListReferrals(ReferralQuery(), 500, token));
          for (v1::Referral& referral : page.referrals) referrals.push_back(std::move(referral));
          token = page.next_page_token;
        } while (!token.empty());
        std::vector<v1::Unit> units;
        for (v1::UnitKind kind : {v1::UNIT_KIND_DEPARTMENT, v1::UNIT_KIND_TOWNSHIP,
                                  v1::UNIT_KIND_INSPECTION, v1::UNIT_KIND_LEADERSHIP}) {
          for (v1::Unit& unit : backend_.directory->UnitsOfKind(kind))
            units.push_back(std::move(unit));
        }
        return BuildCountyReport(board.period(), as_of, units, tickets, referrals, board);
      });
}

}  // namespace duban
