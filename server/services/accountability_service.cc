#include "server/services/accountability_service.h"

#include "base/status_macros.h"
#include "domain/access_policy.h"
#include "domain/accountability_records.h"
#include "domain/page_size.h"
#include "domain/referrals.h"
#include "domain/resource_names.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"
#include "server/services/records.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) {
  return FullMethod("duban.v1.AccountabilityService", name);
}

// Every event of ticket `id` up to `until` (0: all).
absl::StatusOr<std::vector<v1::TicketEvent>> EventsOf(const storage::TicketStore& tickets,
                                                      uint64_t id, int64_t until) {
  std::vector<v1::TicketEvent> events;
  std::string token;
  do {
    ASSIGN_OR_RETURN(storage::EventPage page, tickets.ListEvents(id, 1000, token));
    for (v1::TicketEvent& event : page.events) {
      if (until > 0 && event.sequence() > until) return events;
      events.push_back(std::move(event));
    }
    token = page.next_page_token;
  } while (!token.empty());
  return events;
}

}  // namespace

grpc::Status AccountabilityServiceImpl::ListReferrals(grpc::ServerContext* context,
                                                      const v1::ListReferralsRequest* request,
                                                      v1::ListReferralsResponse* response) {
  return ServeUnary(*context, backend_, Method("ListReferrals"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ListReferralsResponse> {
                      ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 50, 500));
                      ASSIGN_OR_RETURN(ReferralQuery query, ParseReferralQuery(request->filter()));
                      ASSIGN_OR_RETURN(
                          storage::ReferralPage page,
                          backend_.tickets->ListReferrals(query, page_size, request->page_token()));
                      v1::ListReferralsResponse reply;
                      for (v1::Referral& referral : page.referrals)
                        *reply.add_referrals() = std::move(referral);
                      reply.set_next_page_token(page.next_page_token);
                      return reply;
                    });
}

grpc::Status AccountabilityServiceImpl::GetReferral(grpc::ServerContext* context,
                                                    const v1::GetReferralRequest* request,
                                                    v1::Referral* response) {
  return ServeUnary(
      *context, backend_, Method("GetReferral"), response,
      [&](const Caller&) -> absl::StatusOr<v1::Referral> {
        ASSIGN_OR_RETURN(uint64_t id, ParseReferralName(request->name(), "name"));
        ASSIGN_OR_RETURN(v1::Referral referral, backend_.tickets->GetReferral(id));
        ASSIGN_OR_RETURN(uint64_t ticket_id, ParseTicketName(referral.ticket(), "ticket"));
        ASSIGN_OR_RETURN(std::vector<v1::TicketEvent> trail,
                         EventsOf(*backend_.tickets, ticket_id, referral.trail_until_sequence()));
        for (v1::TicketEvent& event : trail) *referral.add_trail() = std::move(event);
        return referral;
      });
}

grpc::Status AccountabilityServiceImpl::DecideReferral(grpc::ServerContext* context,
                                                       const v1::DecideReferralRequest* request,
                                                       v1::Referral* response) {
  const std::string method = Method("DecideReferral");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::Referral> {
        const CallContext call = backend_.ContextFor(caller);
        RETURN_IF_ERROR(Validate(*request, call.loop));
        ASSIGN_OR_RETURN(uint64_t id, ParseReferralName(request->name(), "name"));
        ASSIGN_OR_RETURN(v1::Referral referral, backend_.tickets->GetReferral(id));
        ASSIGN_OR_RETURN(uint64_t ticket_id, ParseTicketName(referral.ticket(), "ticket"));
        ASSIGN_OR_RETURN(
            std::string reply,
            backend_.tickets->UpdateWithReply(
                ticket_id, RequestKeyFor(caller, method, *request), call.loop.now,
                [&](const v1::Ticket& ticket) -> absl::StatusOr<TicketChange> {
                  // Read again under the ticket's lock: decisions serialize.
                  ASSIGN_OR_RETURN(v1::Referral current, backend_.tickets->GetReferral(id));
                  return Apply(ticket, current, *request, call.loop);
                },
                [](const TicketChange& change) {
                  return change.referrals.empty() ? std::string()
                                                  : change.referrals.front().SerializeAsString();
                }));
        v1::Referral decided;
        if (!decided.ParseFromString(reply))
          return absl::DataLossError("stored reply does not parse");
        return decided;
      });
}

grpc::Status AccountabilityServiceImpl::GetUnitRecord(grpc::ServerContext* context,
                                                      const v1::GetUnitRecordRequest* request,
                                                      v1::AccountabilityRecord* response) {
  return ServeUnary(*context, backend_, Method("GetUnitRecord"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::AccountabilityRecord> {
                      RETURN_IF_ERROR(Validate(*request, *backend_.directory));
                      return RecordOf(backend_, request->unit(), request->period());
                    });
}

grpc::Status AccountabilityServiceImpl::GetPrincipalRecord(
    grpc::ServerContext* context, const v1::GetPrincipalRecordRequest* request,
    v1::AccountabilityRecord* response) {
  return ServeUnary(*context, backend_, Method("GetPrincipalRecord"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::AccountabilityRecord> {
                      RETURN_IF_ERROR(Validate(*request, [&](absl::string_view name) {
                        return backend_.directory->FindPrincipal(name).has_value();
                      }));
                      return RecordOf(backend_, request->principal(), request->period());
                    });
}

grpc::Status AccountabilityServiceImpl::GetTicketClocks(grpc::ServerContext* context,
                                                        const v1::GetTicketClocksRequest* request,
                                                        v1::TicketClocks* response) {
  return ServeUnary(
      *context, backend_, Method("GetTicketClocks"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::TicketClocks> {
        ASSIGN_OR_RETURN(uint64_t id, ParseTicketName(request->name(), "name"));
        ASSIGN_OR_RETURN(v1::Ticket ticket, backend_.tickets->Get(id));
        RETURN_IF_ERROR(CheckCanSeeTicket(caller, ticket));
        ASSIGN_OR_RETURN(std::vector<v1::TicketEvent> events, EventsOf(*backend_.tickets, id, 0));
        return TicketClocksOf(ticket, events, *backend_.settings->calendar(), backend_.Now());
      });
}

}  // namespace duban
