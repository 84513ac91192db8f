#include "server/services/draw_service.h"

#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/page_size.h"
#include "domain/spot_check.h"
#include "domain/ticket_loop.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.DrawService", name); }

}  // namespace

grpc::Status DrawServiceImpl::DrawSpotCheck(grpc::ServerContext* context,
                                            const v1::DrawSpotCheckRequest* request,
                                            v1::Draw* response) {
  const std::string method = Method("DrawSpotCheck");
  return ServeUnary(
      *context, backend_, method, response, [&](const Caller& caller) -> absl::StatusOr<v1::Draw> {
        const CallContext call = backend_.ContextFor(caller);
        ASSIGN_OR_RETURN(
            v1::Draw draw,
            duban::DrawSpotCheck(*request, backend_.directory->UnitsOfKind(v1::UNIT_KIND_TOWNSHIP),
                                 backend_.directory->UnitsOfKind(v1::UNIT_KIND_VILLAGE)));
        draw.set_name(storage::DrawName(backend_.draws->NewDrawId()));
        draw.set_actor(caller.principal);
        *draw.mutable_create_time() = ToTimestamp(call.loop.now);
        const storage::RequestKey key = RequestKeyFor(caller, method, *request);
        if (!request->open_tickets()) return backend_.draws->Put(key, call.loop.now, draw);

        RETURN_IF_ERROR(Validate(*request, call.loop));
        ASSIGN_OR_RETURN(const Deadline inspection_due, InspectionDue(*request, call.loop));
        std::vector<std::pair<const v1::DrawnTownship*, std::string>> villages;
        for (const v1::DrawnTownship& township : draw.townships()) {
          for (const std::string& village : township.villages()) {
            villages.emplace_back(&township, village);
          }
        }
        ASSIGN_OR_RETURN(
            std::string reply,
            backend_.tickets->CreateMany(
                key, call.loop.now, static_cast<int>(villages.size()),
                [&](const std::vector<uint64_t>& ids, storage::AuditedBatch& batch,
                    std::vector<TicketChange>& changes) -> absl::StatusOr<std::string> {
                  for (size_t i = 0; i < ids.size(); ++i) {
                    std::optional<v1::Unit> township =
                        backend_.directory->FindUnit(villages[i].first->township());
                    std::optional<v1::Unit> village =
                        backend_.directory->FindUnit(villages[i].second);
                    if (!township || !village) return absl::AbortedError("the directory changed");
                    changes.push_back(NewDrawTicket(ids[i], *township, *village, draw.name(),
                                                    inspection_due, call.loop));
                    draw.add_tickets(changes.back().ticket.name());
                  }
                  backend_.draws->Stage(batch, draw);
                  return draw.SerializeAsString();
                }));
        v1::Draw stored;
        if (!stored.ParseFromString(reply))
          return absl::DataLossError("stored reply does not parse");
        return stored;
      });
}

grpc::Status DrawServiceImpl::GetDraw(grpc::ServerContext* context,
                                      const v1::GetDrawRequest* request, v1::Draw* response) {
  return ServeUnary(*context, backend_, Method("GetDraw"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Draw> {
                      ASSIGN_OR_RETURN(uint64_t id,
                                       storage::ParseDrawName(request->name(), "name"));
                      return backend_.draws->Get(id);
                    });
}

grpc::Status DrawServiceImpl::ListDraws(grpc::ServerContext* context,
                                        const v1::ListDrawsRequest* request,
                                        v1::ListDrawsResponse* response) {
  return ServeUnary(*context, backend_, Method("ListDraws"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ListDrawsResponse> {
                      ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 50, 500));
                      ASSIGN_OR_RETURN(storage::DrawPage page,
                                       backend_.draws->List(page_size, request->page_token()));
                      v1::ListDrawsResponse reply;
                      for (v1::Draw& draw : page.draws) *reply.add_draws() = std::move(draw);
                      reply.set_next_page_token(page.next_page_token);
                      return reply;
                    });
}

}  // namespace duban
