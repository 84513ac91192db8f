#include "server/services/performance_service.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "domain/indicator_rules.h"
#include "domain/ledger.h"
#include "domain/page_size.h"
#include "domain/resource_names.h"
#include "domain/scoreboard.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"
#include "server/services/scores.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) {
  return FullMethod("duban.v1.PerformanceService", name);
}

// Names an entry the office made once it is known to be valid, so a refused
// request leaves no gap in the ledger's numbering.
v1::LedgerEntry Numbered(v1::LedgerEntry entry, storage::LedgerStore& ledger) {
  entry.set_name(LedgerEntryName(ledger.NewEntryId()));
  return entry;
}

absl::Status NoIndicator(absl::string_view name) {
  return ErrorWithReason(absl::StatusCode::kNotFound, "INDICATOR_NOT_FOUND",
                         absl::StrCat("no ", name));
}

}  // namespace

grpc::Status PerformanceServiceImpl::CreateIndicator(grpc::ServerContext* context,
                                                     const v1::CreateIndicatorRequest* request,
                                                     v1::Indicator* response) {
  const std::string method = Method("CreateIndicator");
  return ServeUnary(*context, backend_, method, response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::Indicator> {
                      RETURN_IF_ERROR(Validate(*request, *backend_.directory));
                      const absl::Time now = backend_.Now();
                      return backend_.directory->PutIndicator(
                          absl::StrCat(kIndicatorsPrefix, request->indicator_id()),
                          RequestKeyFor(caller, method, *request), now,
                          [&](const v1::Indicator* current) -> absl::StatusOr<v1::Indicator> {
                            if (current != nullptr) {
                              return ErrorWithReason(
                                  absl::StatusCode::kAlreadyExists, "INDICATOR_EXISTS",
                                  absl::StrCat(current->name(), " already exists"));
                            }
                            return NewIndicator(request->indicator_id(), request->indicator(), now);
                          });
                    });
}

grpc::Status PerformanceServiceImpl::UpdateIndicator(grpc::ServerContext* context,
                                                     const v1::UpdateIndicatorRequest* request,
                                                     v1::Indicator* response) {
  const std::string method = Method("UpdateIndicator");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::Indicator> {
        RETURN_IF_ERROR(Validate(*request, *backend_.directory));
        const v1::Indicator& update = request->indicator();
        const absl::Time now = backend_.Now();
        return backend_.directory->PutIndicator(
            update.name(), RequestKeyFor(caller, method, *request), now,
            [&](const v1::Indicator* current) -> absl::StatusOr<v1::Indicator> {
              if (current == nullptr) return NoIndicator(update.name());
              RETURN_IF_ERROR(CheckEtag(current->name(), current->etag(), update.etag()));
              return UpdatedIndicator(*current, update, now);
            });
      });
}

grpc::Status PerformanceServiceImpl::GetIndicator(grpc::ServerContext* context,
                                                  const v1::GetIndicatorRequest* request,
                                                  v1::Indicator* response) {
  return ServeUnary(*context, backend_, Method("GetIndicator"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Indicator> {
                      RETURN_IF_ERROR(Validate(*request));
                      std::optional<v1::Indicator> indicator =
                          backend_.directory->FindIndicator(request->name());
                      if (!indicator) return NoIndicator(request->name());
                      return *indicator;
                    });
}

grpc::Status PerformanceServiceImpl::ListIndicators(grpc::ServerContext* context,
                                                    const v1::ListIndicatorsRequest* request,
                                                    v1::ListIndicatorsResponse* response) {
  return ServeUnary(
      *context, backend_, Method("ListIndicators"), response,
      [&](const Caller&) -> absl::StatusOr<v1::ListIndicatorsResponse> {
        ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 200, 1000));
        ASSIGN_OR_RETURN(IndicatorQuery query, ParseIndicatorQuery(request->filter()));
        ASSIGN_OR_RETURN(storage::IndicatorPage page, backend_.directory->ListIndicators(
                                                          query, page_size, request->page_token()));
        v1::ListIndicatorsResponse reply;
        for (v1::Indicator& indicator : page.indicators)
          *reply.add_indicators() = std::move(indicator);
        reply.set_next_page_token(page.next_page_token);
        return reply;
      });
}

grpc::Status PerformanceServiceImpl::GetLedgerPolicy(grpc::ServerContext* context,
                                                     const v1::GetLedgerPolicyRequest*,
                                                     v1::LedgerPolicy* response) {
  return ServeUnary(*context, backend_, Method("GetLedgerPolicy"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::LedgerPolicy> {
                      return *backend_.settings->ledger_policy();
                    });
}

grpc::Status PerformanceServiceImpl::UpdateLedgerPolicy(
    grpc::ServerContext* context, const v1::UpdateLedgerPolicyRequest* request,
    v1::LedgerPolicy* response) {
  const std::string method = Method("UpdateLedgerPolicy");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::LedgerPolicy> {
        RETURN_IF_ERROR(ValidateLedgerPolicy(request->policy()));
        return backend_.settings->PutLedgerPolicy(
            RequestKeyFor(caller, method, *request), backend_.Now(),
            [&](const v1::LedgerPolicy& current) -> absl::StatusOr<v1::LedgerPolicy> {
              RETURN_IF_ERROR(CheckEtag("ledger policy", current.etag(), request->policy().etag()));
              return request->policy();
            });
      });
}

grpc::Status PerformanceServiceImpl::CreateDeduction(grpc::ServerContext* context,
                                                     const v1::CreateDeductionRequest* request,
                                                     v1::LedgerEntry* response) {
  return OfficeEntry(*context, "CreateDeduction", *request, response, &NewDeduction);
}

grpc::Status PerformanceServiceImpl::FailVeto(grpc::ServerContext* context,
                                              const v1::FailVetoRequest* request,
                                              v1::LedgerEntry* response) {
  return OfficeEntry(*context, "FailVeto", *request, response, &NewVetoFailure);
}

template <typename Request>
grpc::Status PerformanceServiceImpl::OfficeEntry(
    const grpc::ServerContext& context, absl::string_view name, const Request& request,
    v1::LedgerEntry* response,
    absl::StatusOr<v1::LedgerEntry> (*make)(const Request&, const LedgerContext&)) {
  const std::string method = Method(name);
  return ServeUnary(context, backend_, method, response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::LedgerEntry> {
                      LedgerSession session = OpenLedgerSession(backend_, caller);
                      return backend_.ledger->Put(
                          RequestKeyFor(caller, method, request), session.context.now,
                          [&]() -> absl::StatusOr<v1::LedgerEntry> {
                            ASSIGN_OR_RETURN(v1::LedgerEntry entry, make(request, session.context));
                            return Numbered(std::move(entry), *backend_.ledger);
                          });
                    });
}

grpc::Status PerformanceServiceImpl::ReverseLedgerEntry(
    grpc::ServerContext* context, const v1::ReverseLedgerEntryRequest* request,
    v1::LedgerEntry* response) {
  const std::string method = Method("ReverseLedgerEntry");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::LedgerEntry> {
        ASSIGN_OR_RETURN(uint64_t id, ParseLedgerEntryName(request->name(), "name"));
        LedgerSession session = OpenLedgerSession(backend_, caller);
        return backend_.ledger->Put(
            RequestKeyFor(caller, method, *request), session.context.now,
            [&]() -> absl::StatusOr<v1::LedgerEntry> {
              ASSIGN_OR_RETURN(v1::LedgerEntry original, backend_.ledger->Get(id));
              ASSIGN_OR_RETURN(std::string reversed_by, backend_.ledger->ReversedBy(id));
              ASSIGN_OR_RETURN(v1::LedgerEntry entry,
                               NewReversal(original, reversed_by, *request, session.context));
              return Numbered(std::move(entry), *backend_.ledger);
            });
      });
}

grpc::Status PerformanceServiceImpl::GetLedgerEntry(grpc::ServerContext* context,
                                                    const v1::GetLedgerEntryRequest* request,
                                                    v1::LedgerEntry* response) {
  return ServeUnary(*context, backend_, Method("GetLedgerEntry"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::LedgerEntry> {
                      ASSIGN_OR_RETURN(uint64_t id, ParseLedgerEntryName(request->name(), "name"));
                      return backend_.ledger->Get(id);
                    });
}

grpc::Status PerformanceServiceImpl::ListLedgerEntries(grpc::ServerContext* context,
                                                       const v1::ListLedgerEntriesRequest* request,
                                                       v1::ListLedgerEntriesResponse* response) {
  return ServeUnary(*context, backend_, Method("ListLedgerEntries"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ListLedgerEntriesResponse> {
                      ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 100, 1000));
                      ASSIGN_OR_RETURN(LedgerQuery query, ParseLedgerQuery(request->filter()));
                      ASSIGN_OR_RETURN(
                          storage::LedgerPage page,
                          backend_.ledger->List(query, page_size, request->page_token()));
                      v1::ListLedgerEntriesResponse reply;
                      for (v1::LedgerEntry& entry : page.entries)
                        *reply.add_entries() = std::move(entry);
                      reply.set_next_page_token(page.next_page_token);
                      return reply;
                    });
}

grpc::Status PerformanceServiceImpl::GetScoreboard(grpc::ServerContext* context,
                                                   const v1::GetScoreboardRequest* request,
                                                   v1::Scoreboard* response) {
  return ServeUnary(*context, backend_, Method("GetScoreboard"), response,
                    [&](const Caller& caller) -> absl::StatusOr<v1::Scoreboard> {
                      return CountyScoreboard(backend_, caller, request->period());
                    });
}

grpc::Status PerformanceServiceImpl::ExplainScore(grpc::ServerContext* context,
                                                  const v1::ExplainScoreRequest* request,
                                                  v1::ScoreExplanation* response) {
  return ServeUnary(
      *context, backend_, Method("ExplainScore"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::ScoreExplanation> {
        RETURN_IF_ERROR(Validate(*request, *backend_.directory));
        ASSIGN_OR_RETURN(ScoringPeriod scoring,
                         LoadScoringPeriod(backend_, caller, request->period()));
        v1::ScoreExplanation explanation = duban::ExplainScore(
            request->unit(), scoring.period, scoring.base, scoring.entries, *backend_.directory);
        if (std::optional<v1::Unit> unit = backend_.directory->FindUnit(request->unit())) {
          explanation.mutable_row()->set_display_name(unit->display_name());
        }
        return explanation;
      });
}

}  // namespace duban
