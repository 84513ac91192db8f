// duban unit list|get|create|update, duban principal list|get|create|update
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/input.h"
#include "client/pages.h"
#include "client/views.h"

namespace duban::cli {
namespace {

constexpr FlagKind kValue = FlagKind::kValue;
constexpr FlagKind kRepeated = FlagKind::kRepeated;

std::string Sha256Hex(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

// 32 random bytes, base64url: a bearer token for a new principal.
std::string NewToken() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof(bytes));
  std::string token;
  absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)),
                            &token);
  return token;
}

absl::StatusOr<std::string> Filter(const Args& args,
                                   const std::vector<std::pair<std::string, bool>>& flags) {
  std::vector<std::string> terms;
  for (const auto& [flag, is_unit] : flags) {
    if (!args.Has(flag)) continue;
    terms.push_back(
        absl::StrCat(flag, "=", is_unit ? UnitNameArg(args.Get(flag)) : args.Get(flag)));
  }
  return absl::StrJoin(terms, " AND ");
}

// Unit fields from flags onto `unit`; only the flags given change it.
absl::Status FillUnit(const Args& args, v1::Unit& unit) {
  if (args.Has("name")) unit.set_display_name(args.Get("name"));
  if (args.Has("parent")) unit.set_parent(UnitNameArg(args.Get("parent")));
  if (args.Has("area")) unit.set_area(args.Get("area"));
  if (args.Has("kind")) {
    auto kind = EnumArg<v1::UnitKind>(args.Get("kind"), "UNIT_KIND_", v1::UnitKind_Parse, "kind");
    if (!kind.ok()) return kind.status();
    unit.set_kind(*kind);
  }
  if (args.Has("tier")) {
    auto tier = EnumArg<v1::Tier>(args.Get("tier"), "TIER_", v1::Tier_Parse, "tier");
    if (!tier.ok()) return tier.status();
    unit.set_tier(*tier);
  }
  return absl::OkStatus();
}

absl::Status FillPrincipal(const Args& args, v1::Principal& principal) {
  if (args.Has("name")) principal.set_display_name(args.Get("name"));
  if (args.Has("unit")) principal.set_unit(UnitNameArg(args.Get("unit")));
  if (args.Has("role")) {
    principal.clear_roles();
    for (const std::string& label : args.GetAll("role")) {
      auto role = EnumArg<v1::Role>(label, "ROLE_", v1::Role_Parse, "role");
      if (!role.ok()) return role.status();
      principal.add_roles(*role);
    }
  }
  return absl::OkStatus();
}

int ListUnits(Session& session, const Args& args) {
  v1::ListUnitsRequest request;
  absl::StatusOr<std::string> filter =
      Filter(args, {{"kind", false}, {"parent", true}, {"tier", false}});
  if (!filter.ok()) return session.Usage(filter.status());
  request.set_filter(*filter);
  request.set_page_size(1000);
  v1::ListUnitsResponse all;
  grpc::Status status =
      CollectPages(session, session.directory(), &v1::DirectoryService::Stub::ListUnits, request,
                   /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowUnits(session, all);
  return kExitOk;
}

grpc::Status FetchUnit(Session& session, const std::string& name, v1::Unit* unit) {
  v1::GetUnitRequest request;
  request.set_name(name);
  auto context = session.NewContext();
  return session.directory().GetUnit(context.get(), request, unit);
}

int GetUnit(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "unit id");
  if (!id.ok()) return session.Usage(id.status());
  v1::Unit unit;
  grpc::Status status = FetchUnit(session, UnitNameArg(*id), &unit);
  if (!status.ok()) return session.Fail(status);
  ShowUnit(session, unit);
  return kExitOk;
}

int CreateUnit(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "unit id");
  if (!id.ok()) return session.Usage(id.status());
  v1::CreateUnitRequest request;
  request.set_unit_id(*id);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillUnit(args, *request.mutable_unit()); !filled.ok()) {
    return session.Usage(filled);
  }
  v1::Unit unit;
  auto context = session.NewContext();
  grpc::Status status = session.directory().CreateUnit(context.get(), request, &unit);
  if (!status.ok()) return session.Fail(status);
  ShowUnit(session, unit);
  return kExitOk;
}

int UpdateUnit(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "unit id");
  if (!id.ok()) return session.Usage(id.status());
  v1::UpdateUnitRequest request;
  grpc::Status status = FetchUnit(session, UnitNameArg(*id), request.mutable_unit());
  if (!status.ok()) return session.Fail(status);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillUnit(args, *request.mutable_unit()); !filled.ok()) {
    return session.Usage(filled);
  }
  v1::Unit unit;
  auto context = session.NewContext();
  status = session.directory().UpdateUnit(context.get(), request, &unit);
  if (!status.ok()) return session.Fail(status);
  ShowUnit(session, unit);
  return kExitOk;
}

int ListPrincipals(Session& session, const Args& args) {
  v1::ListPrincipalsRequest request;
  absl::StatusOr<std::string> filter = Filter(args, {{"unit", true}, {"role", false}});
  if (!filter.ok()) return session.Usage(filter.status());
  request.set_filter(*filter);
  request.set_page_size(1000);
  v1::ListPrincipalsResponse all;
  grpc::Status status = CollectPages(session, session.directory(),
                                     &v1::DirectoryService::Stub::ListPrincipals, request,
                                     /*every_page=*/true, &all);
  if (!status.ok()) return session.Fail(status);
  ShowPrincipals(session, all);
  return kExitOk;
}

grpc::Status FetchPrincipal(Session& session, const std::string& name, v1::Principal* principal) {
  v1::GetPrincipalRequest request;
  request.set_name(name);
  auto context = session.NewContext();
  return session.directory().GetPrincipal(context.get(), request, principal);
}

int GetPrincipal(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "principal id");
  if (!id.ok()) return session.Usage(id.status());
  v1::Principal principal;
  grpc::Status status = FetchPrincipal(session, PrincipalNameArg(*id), &principal);
  if (!status.ok()) return session.Fail(status);
  ShowPrincipal(session, principal);
  return kExitOk;
}

// Shows the principal and, when the CLI made the token, the token itself:
// the server keeps only its hash, so this is the one chance to see it.
int ShowWithToken(Session& session, const v1::Principal& principal, const std::string& token) {
  ShowPrincipal(session, principal);
  if (!token.empty()) {
    session.err() << "token: " << token << "\n  (shown once: the server stores only its SHA-256)\n";
  }
  return kExitOk;
}

int CreatePrincipal(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "principal id");
  if (!id.ok()) return session.Usage(id.status());
  v1::CreatePrincipalRequest request;
  request.set_principal_id(*id);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillPrincipal(args, *request.mutable_principal()); !filled.ok()) {
    return session.Usage(filled);
  }
  const bool made_token = !args.Has("set-token");
  const std::string token = made_token ? NewToken() : args.Get("set-token");
  request.mutable_principal()->set_token_sha256(Sha256Hex(token));
  v1::Principal principal;
  auto context = session.NewContext();
  grpc::Status status = session.directory().CreatePrincipal(context.get(), request, &principal);
  if (!status.ok()) return session.Fail(status);
  return ShowWithToken(session, principal, made_token ? token : "");
}

int UpdatePrincipal(Session& session, const Args& args) {
  absl::StatusOr<std::string> id = OnePositional(args, "principal id");
  if (!id.ok()) return session.Usage(id.status());
  v1::UpdatePrincipalRequest request;
  grpc::Status status = FetchPrincipal(session, PrincipalNameArg(*id), request.mutable_principal());
  if (!status.ok()) return session.Fail(status);
  request.set_request_id(args.Get("request-id"));
  if (absl::Status filled = FillPrincipal(args, *request.mutable_principal()); !filled.ok()) {
    return session.Usage(filled);
  }
  std::string made_token;
  if (args.Has("new-token")) made_token = NewToken();
  const std::string token = args.Has("set-token") ? args.Get("set-token") : made_token;
  if (!token.empty()) request.mutable_principal()->set_token_sha256(Sha256Hex(token));
  v1::Principal principal;
  auto context = session.NewContext();
  status = session.directory().UpdatePrincipal(context.get(), request, &principal);
  if (!status.ok()) return session.Fail(status);
  return ShowWithToken(session, principal, made_token);
}

}  // namespace

std::vector<Command> DirectoryCommands() {
  const std::vector<FlagSpec> unit_flags = {{"name", kValue},   {"kind", kValue},
                                            {"parent", kValue}, {"tier", kValue},
                                            {"area", kValue},   {"request-id", kValue}};
  const std::vector<FlagSpec> principal_flags = {{"name", kValue},
                                                 {"role", kRepeated},
                                                 {"unit", kValue},
                                                 {"set-token", kValue},
                                                 {"request-id", kValue}};
  std::vector<FlagSpec> principal_update_flags = principal_flags;
  principal_update_flags.push_back({"new-token", FlagKind::kSwitch});
  return {
      {"unit",
       "list",
       "[--kind KIND] [--parent UNIT] [--tier NEAR|MIDDLE|FAR]",
       "list units",
       {{"kind", kValue}, {"parent", kValue}, {"tier", kValue}},
       ListUnits},
      {"unit", "get", "ID", "show a unit", {}, GetUnit},
      {"unit", "create",
       "ID --name TEXT --kind KIND [--parent UNIT] [--tier NEAR|MIDDLE|FAR] [--area TEXT]",
       "create a unit (ADMIN)", unit_flags, CreateUnit},
      {"unit", "update", "ID [--name TEXT] [--parent UNIT] [--tier T] [--area TEXT]",
       "change a unit (ADMIN)", unit_flags, UpdateUnit},
      {"principal",
       "list",
       "[--unit UNIT] [--role ROLE]",
       "list principals",
       {{"unit", kValue}, {"role", kValue}},
       ListPrincipals},
      {"principal", "get", "ID", "show a principal", {}, GetPrincipal},
      {"principal", "create", "ID --name TEXT --role ROLE[,ROLE] [--unit UNIT] [--set-token TOKEN]",
       "create a principal; prints a new token unless --set-token is given (ADMIN)",
       principal_flags, CreatePrincipal},
      {"principal", "update",
       "ID [--name TEXT] [--role ROLE[,ROLE]] [--unit UNIT] [--set-token TOKEN | --new-token]",
       "change a principal (ADMIN)", principal_update_flags, UpdatePrincipal},
  };
}

}  // namespace duban::cli
