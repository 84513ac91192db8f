#include "server/services/directory_service.h"

#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/status_macros.h"
#include "domain/directory_query.h"
#include "domain/directory_rules.h"
#include "domain/page_size.h"
#include "domain/resource_names.h"
#include "server/edge/request_fingerprint.h"
#include "server/edge/unary_call.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.DirectoryService", name); }

absl::Status NotFound(absl::string_view reason, absl::string_view name) {
  return ErrorWithReason(absl::StatusCode::kNotFound, reason, absl::StrCat("no ", name),
                         {{"resource", std::string(name)}});
}

}  // namespace

grpc::Status DirectoryServiceImpl::CreateUnit(grpc::ServerContext* context,
                                              const v1::CreateUnitRequest* request,
                                              v1::Unit* response) {
  const std::string method = Method("CreateUnit");
  return ServeUnary(
      *context, backend_, method, response, [&](const Caller& caller) -> absl::StatusOr<v1::Unit> {
        RETURN_IF_ERROR(Validate(*request));
        const absl::Time now = backend_.Now();
        return backend_.directory->PutUnit(
            UnitName(request->unit_id()), RequestKeyFor(caller, method, *request), now,
            [&](const v1::Unit*) -> absl::StatusOr<v1::Unit> {
              RETURN_IF_ERROR(
                  ValidateNewUnit(request->unit_id(), request->unit(), *backend_.directory));
              return NewUnit(request->unit_id(), request->unit(), now);
            });
      });
}

grpc::Status DirectoryServiceImpl::UpdateUnit(grpc::ServerContext* context,
                                              const v1::UpdateUnitRequest* request,
                                              v1::Unit* response) {
  const std::string method = Method("UpdateUnit");
  return ServeUnary(
      *context, backend_, method, response, [&](const Caller& caller) -> absl::StatusOr<v1::Unit> {
        RETURN_IF_ERROR(Validate(*request));
        const absl::Time now = backend_.Now();
        const v1::Unit& update = request->unit();
        return backend_.directory->PutUnit(
            update.name(), RequestKeyFor(caller, method, *request), now,
            [&](const v1::Unit* current) -> absl::StatusOr<v1::Unit> {
              if (current == nullptr) return NotFound("UNIT_NOT_FOUND", update.name());
              RETURN_IF_ERROR(CheckEtag(current->name(), current->etag(), update.etag()));
              RETURN_IF_ERROR(ValidateUnitUpdate(*current, update, *backend_.directory));
              return UpdatedUnit(*current, update, now);
            });
      });
}

grpc::Status DirectoryServiceImpl::GetUnit(grpc::ServerContext* context,
                                           const v1::GetUnitRequest* request, v1::Unit* response) {
  return ServeUnary(*context, backend_, Method("GetUnit"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Unit> {
                      RETURN_IF_ERROR(Validate(*request));
                      std::optional<v1::Unit> unit = backend_.directory->FindUnit(request->name());
                      if (!unit) return NotFound("UNIT_NOT_FOUND", request->name());
                      return *unit;
                    });
}

grpc::Status DirectoryServiceImpl::ListUnits(grpc::ServerContext* context,
                                             const v1::ListUnitsRequest* request,
                                             v1::ListUnitsResponse* response) {
  return ServeUnary(*context, backend_, Method("ListUnits"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::ListUnitsResponse> {
                      ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 200, 1000));
                      ASSIGN_OR_RETURN(UnitQuery query, ParseUnitQuery(request->filter()));
                      ASSIGN_OR_RETURN(
                          storage::UnitPage page,
                          backend_.directory->ListUnits(query, page_size, request->page_token()));
                      v1::ListUnitsResponse reply;
                      for (v1::Unit& unit : page.units) *reply.add_units() = std::move(unit);
                      reply.set_next_page_token(page.next_page_token);
                      return reply;
                    });
}

grpc::Status DirectoryServiceImpl::CreatePrincipal(grpc::ServerContext* context,
                                                   const v1::CreatePrincipalRequest* request,
                                                   v1::Principal* response) {
  const std::string method = Method("CreatePrincipal");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::Principal> {
        RETURN_IF_ERROR(Validate(*request, *backend_.directory));
        const absl::Time now = backend_.Now();
        ASSIGN_OR_RETURN(
            v1::Principal stored,
            backend_.directory->PutPrincipal(
                PrincipalName(request->principal_id()), RequestKeyFor(caller, method, *request),
                now, [&](const v1::Principal* current) -> absl::StatusOr<v1::Principal> {
                  if (current != nullptr) {
                    return ErrorWithReason(absl::StatusCode::kAlreadyExists, "PRINCIPAL_EXISTS",
                                           absl::StrCat(current->name(), " already exists"));
                  }
                  return NewPrincipal(request->principal_id(), request->principal(), now);
                }));
        return Redacted(std::move(stored));
      });
}

grpc::Status DirectoryServiceImpl::UpdatePrincipal(grpc::ServerContext* context,
                                                   const v1::UpdatePrincipalRequest* request,
                                                   v1::Principal* response) {
  const std::string method = Method("UpdatePrincipal");
  return ServeUnary(
      *context, backend_, method, response,
      [&](const Caller& caller) -> absl::StatusOr<v1::Principal> {
        RETURN_IF_ERROR(Validate(*request, *backend_.directory));
        const absl::Time now = backend_.Now();
        const v1::Principal& update = request->principal();
        ASSIGN_OR_RETURN(
            v1::Principal stored,
            backend_.directory->PutPrincipal(
                update.name(), RequestKeyFor(caller, method, *request), now,
                [&](const v1::Principal* current) -> absl::StatusOr<v1::Principal> {
                  if (current == nullptr) return NotFound("PRINCIPAL_NOT_FOUND", update.name());
                  RETURN_IF_ERROR(CheckEtag(current->name(), current->etag(), update.etag()));
                  return UpdatedPrincipal(*current, update, now);
                }));
        return Redacted(std::move(stored));
      });
}

grpc::Status DirectoryServiceImpl::GetPrincipal(grpc::ServerContext* context,
                                                const v1::GetPrincipalRequest* request,
                                                v1::Principal* response) {
  return ServeUnary(*context, backend_, Method("GetPrincipal"), response,
                    [&](const Caller&) -> absl::StatusOr<v1::Principal> {
                      RETURN_IF_ERROR(Validate(*request));
                      std::optional<v1::Principal> principal =
                          backend_.directory->FindPrincipal(request->name());
                      if (!principal) return NotFound("PRINCIPAL_NOT_FOUND", request->name());
                      return Redacted(*std::move(principal));
                    });
}

grpc::Status DirectoryServiceImpl::ListPrincipals(grpc::ServerContext* context,
                                                  const v1::ListPrincipalsRequest* request,
                                                  v1::ListPrincipalsResponse* response) {
  return ServeUnary(
      *context, backend_, Method("ListPrincipals"), response,
      [&](const Caller&) -> absl::StatusOr<v1::ListPrincipalsResponse> {
        ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size(), 200, 1000));
        ASSIGN_OR_RETURN(PrincipalQuery query, ParsePrincipalQuery(request->filter()));
        ASSIGN_OR_RETURN(storage::PrincipalPage page, backend_.directory->ListPrincipals(
                                                          query, page_size, request->page_token()));
        v1::ListPrincipalsResponse reply;
        for (v1::Principal& principal : page.principals) {
          *reply.add_principals() = Redacted(std::move(principal));
        }
        reply.set_next_page_token(page.next_page_token);
        return reply;
      });
}

}  // namespace duban
