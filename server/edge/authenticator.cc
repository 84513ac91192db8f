#include "server/edge/authenticator.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_convert.h"

namespace duban {

namespace {

// How often a session's last use is stored.
constexpr absl::Duration kSessionTouchInterval = absl::Minutes(1);

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
  const std::string token_sha256 = Sha256Hex(token);
  std::optional<v1::Principal> principal = directory_->FindPrincipalByToken(token_sha256);
  if (principal) return CallerFromPrincipal(*principal);
  if (sessions_) return FromSession(token_sha256);
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, "UNKNOWN_TOKEN",
                         "the bearer token belongs to no principal");
}

absl::StatusOr<Caller> Authenticator::FromSession(const std::string& token_sha256) const {
  ASSIGN_OR_RETURN(std::optional<v1::Session> session, sessions_->FindSession(token_sha256));
  if (!session) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "UNKNOWN_TOKEN",
                           "the bearer token belongs to no principal and no session");
  }
  const absl::Time now = now_();
  const absl::Time idle_expiry = FromTimestamp(session->idle_expire_time());
  const absl::Time expiry = FromTimestamp(session->expire_time());
  if (now >= idle_expiry || now >= expiry) {
    // Best effort: an expired session is refused whether or not it is gone.
    sessions_->RemoveSession(session->name()).IgnoreError();
    return ErrorWithReason(
        absl::StatusCode::kUnauthenticated, "SESSION_EXPIRED",
        absl::StrCat(session->name(), " expired at ",
                     absl::FormatTime(absl::RFC3339_sec, std::min(idle_expiry, expiry),
                                      absl::UTCTimeZone()),
                     ": log in again"),
        {{"session", session->name()}});
  }
  std::optional<v1::Principal> principal = directory_->FindPrincipal(session->principal());
  if (!principal) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "UNKNOWN_TOKEN",
                           absl::StrCat("the session's principal ", session->principal(),
                                        " no longer exists"));
  }
  const absl::Time last_use = FromTimestamp(session->last_use_time());
  if (now - last_use >= kSessionTouchInterval) {
    const absl::Duration idle = idle_expiry - last_use;
    *session->mutable_last_use_time() = ToTimestamp(now);
    *session->mutable_idle_expire_time() = ToTimestamp(std::min(now + idle, expiry));
    // Best effort: a use not recorded costs at most one interval of idleness.
    sessions_->TouchSession(token_sha256, *session).IgnoreError();
  }
  Caller caller = CallerFromPrincipal(*principal);
  caller.session = session->name();
  return caller;
}

}  // namespace duban
