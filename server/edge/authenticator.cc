#include "server/edge/authenticator.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/sha256.h"

namespace duban {

namespace {

// The subject common name of the peer's verified client certificate, or "".
std::string CertificateName(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return "";
  std::vector<grpc::string_ref> names = auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  return names.size() == 1 ? std::string(names[0].data(), names[0].size()) : "";
}

}  // namespace

absl::StatusOr<Caller> Authenticator::Authenticate(const grpc::ServerContextBase& context) const {
  absl::StatusOr<Caller> caller = Identify(context);
  if (caller.ok() && listener_) listener_(context, caller->principal);
  return caller;
}

absl::StatusOr<Caller> Authenticator::Identify(const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    const std::string common_name = CertificateName(context);
    if (common_name.empty()) {
      return ErrorWithReason(absl::StatusCode::kUnauthenticated, "MISSING_TOKEN",
                             "no authorization metadata: send `authorization: Bearer <token>` "
                             "or a client certificate");
    }
    std::optional<v1::Principal> principal =
        directory_->FindPrincipal(absl::StrCat("principals/", common_name));
    if (!principal) {
      return ErrorWithReason(absl::StatusCode::kUnauthenticated, "UNKNOWN_CERTIFICATE",
                             absl::StrCat("the client certificate names \"", common_name,
                                          "\", which is no principal"));
    }
    return CallerFromPrincipal(*principal);
  }
  absl::string_view value(it->second.data(), it->second.size());
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "MALFORMED_TOKEN",
                           "authorization metadata must be `Bearer <token>`");
  }
  const absl::string_view token = absl::StripAsciiWhitespace(value.substr(kScheme.size()));
  std::optional<v1::Principal> principal = directory_->FindPrincipalByToken(Sha256Hex(token));
  if (!principal) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "UNKNOWN_TOKEN",
                           "the bearer token belongs to no principal");
  }
  return CallerFromPrincipal(*principal);
}

}  // namespace duban
