#include "server/services/auth_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/errors.h"
#include "base/password_hash.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/time_convert.h"
#include "domain/page_size.h"
#include "domain/password_rules.h"
#include "domain/resource_names.h"
#include "server/edge/client_address.h"
#include "server/edge/unary_call.h"
#include "storage/auth_keys.h"

namespace duban {
namespace {

std::string Method(absl::string_view name) { return FullMethod("duban.v1.AuthService", name); }

// `principals/{id}` from either that or the bare id.
std::string NormalizePrincipal(absl::string_view principal) {
  return absl::StartsWith(principal, kPrincipalsPrefix) ? std::string(principal)
                                                        : PrincipalName(principal);
}

std::string PrincipalKey(absl::string_view principal) { return absl::StrCat("p:", principal); }
std::string AddressKey(absl::string_view address) { return absl::StrCat("a:", address); }

v1::SecurityEvent Event(v1::SecurityEventKind kind, absl::Time now, std::string principal,
                        std::string address) {
  v1::SecurityEvent event;
  event.set_kind(kind);
  *event.mutable_time() = ToTimestamp(now);
  event.set_principal(std::move(principal));
  event.set_client_address(std::move(address));
  return event;
}

absl::Status LoginFailed() {
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, "LOGIN_FAILED",
                         "wrong principal or password");
}

}  // namespace

AuthServiceImpl::HashTurn::~HashTurn() {
  MutexLock lock(&service_->turns_mutex_);
  --service_->turns_taken_;
  service_->turn_freed_.Signal();
}

absl::StatusOr<std::unique_ptr<AuthServiceImpl::HashTurn>> AuthServiceImpl::TakeHashTurn() {
  const absl::Time give_up = absl::Now() + absl::Seconds(1);
  MutexLock lock(&turns_mutex_);
  while (turns_taken_ >= options_.max_concurrent_hashes) {
    if (!turn_freed_.WaitWithDeadline(&turns_mutex_, give_up) &&
        turns_taken_ >= options_.max_concurrent_hashes) {
      return ErrorWithReason(absl::StatusCode::kResourceExhausted, "TOO_MANY_LOGINS",
                             "too many password checks at once; try again in a moment");
    }
  }
  ++turns_taken_;
  return std::make_unique<HashTurn>(this);
}

const std::string& AuthServiceImpl::DummyHash() {
  std::call_once(dummy_once_, [this] {
    absl::StatusOr<std::string> hash = HashPassword(RandomToken());
    dummy_hash_ = hash.ok() ? *hash : "";
  });
  return dummy_hash_;
}

absl::Status AuthServiceImpl::CheckNotLockedOut(const std::string& key, absl::Time now) const {
  std::optional<absl::Time> until = throttle_.LockedUntil(key, now);
  if (!until) return absl::OkStatus();
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(*until - now, absl::Seconds(1)));
  return ErrorWithReason(
      absl::StatusCode::kResourceExhausted, "LOGIN_LOCKED_OUT",
      absl::StrCat("too many failed logins: try again after ",
                   absl::FormatTime(absl::RFC3339_sec, *until, absl::UTCTimeZone()), " (in ",
                   seconds, " s)"),
      {{"retry_after", absl::FormatTime(absl::RFC3339_sec, *until, absl::UTCTimeZone())},
       {"retry_after_seconds", absl::StrCat(seconds)}});
}

absl::StatusOr<AuthServiceImpl::PasswordCheck> AuthServiceImpl::CheckPassword(
    const std::string& principal, bool exists, absl::string_view password) {
  absl::StatusOr<std::optional<v1::PasswordCredential>> found =
      exists ? backend_.auth->FindPassword(principal)
             : std::optional<v1::PasswordCredential>();
  RETURN_IF_ERROR(found.status());
  const std::optional<v1::PasswordCredential>& credential = *found;
  if (!credential && exists && options_.dev_passwords) {
    return PasswordCheck{.right = password == principal.substr(kPrincipalsPrefix.size())};
  }
  if (!credential) {
    PasswordMatches(DummyHash(), password);
    return PasswordCheck{};
  }
  return PasswordCheck{.right = PasswordMatches(credential->hash(), password),
                       .hash = credential->hash()};
}

absl::Status AuthServiceImpl::RecordFailedLogin(const std::string& principal,
                                                const std::string& address, absl::Time now) {
  // Counted before anything is written, so that no failure of the write
  // (or of the caller's patience) leaves a guess uncounted.
  std::vector<std::pair<std::string, absl::Time>> lockouts;
  for (const std::string& key : {PrincipalKey(principal), AddressKey(address)}) {
    if (std::optional<absl::Time> until = throttle_.RecordFailure(key, now)) {
      lockouts.emplace_back(key, *until);
    }
  }
  // Security events are written whatever the call's deadline.
  v1::SecurityEvent failed = Event(v1::SECURITY_EVENT_LOGIN_FAILED, now, principal, address);
  failed.set_detail("wrong principal or password");
  RETURN_IF_ERROR(backend_.auth->RecordEvent(failed, {}).status());
  for (const auto& [key, until] : lockouts) {
    v1::SecurityEvent locked = Event(v1::SECURITY_EVENT_LOCKED_OUT, now, principal, address);
    locked.set_detail(absl::StrCat(absl::StartsWith(key, "p:") ? "principal" : "address",
                                   " locked out until ",
                                   absl::FormatTime(absl::RFC3339_sec, until,
                                                    absl::UTCTimeZone())));
    RETURN_IF_ERROR(backend_.auth->RecordEvent(locked, {}).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::LoginResponse> AuthServiceImpl::DoLogin(const v1::LoginRequest& request,
                                                           const std::string& address,
                                                           absl::Time deadline) {
  FieldViolations violations;
  if (request.principal().empty()) violations.Add("principal", "is required");
  if (request.password().empty()) violations.Add("password", "is required");
  if (request.password().size() > static_cast<size_t>(kMaxPasswordBytes)) {
    violations.Add("password", absl::StrCat("must be at most ", kMaxPasswordBytes, " bytes"));
  }
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string principal = NormalizePrincipal(request.principal());
  // A name no principal can have is answered like an unknown one, but
  // neither counted nor recorded: it would only fill memory and the log.
  if (!IsValidId(principal.substr(kPrincipalsPrefix.size()))) return LoginFailed();
  const absl::Time now = backend_.WallNow();
  const std::vector<std::string> keys = {PrincipalKey(principal), AddressKey(address)};
  for (const std::string& key : keys) RETURN_IF_ERROR(CheckNotLockedOut(key, now));
  ASSIGN_OR_RETURN(std::unique_ptr<HashTurn> turn, TakeHashTurn());
  // Again with the turn: attempts that waited together count one by one.
  for (const std::string& key : keys) RETURN_IF_ERROR(CheckNotLockedOut(key, now));
  const bool exists = backend_.directory->FindPrincipal(principal).has_value();
  ASSIGN_OR_RETURN(const PasswordCheck check,
                   CheckPassword(principal, exists, request.password()));
  if (!check.right) {
    RETURN_IF_ERROR(RecordFailedLogin(principal, address, now));
    return LoginFailed();
  }
  v1::LoginResponse response;
  response.set_token(RandomToken());
  const std::string token_sha256 = Sha256Hex(response.token());
  v1::Session& session = *response.mutable_session();
  session.set_name(storage::SessionName(token_sha256));
  session.set_principal(principal);
  *session.mutable_create_time() = ToTimestamp(now);
  *session.mutable_last_use_time() = ToTimestamp(now);
  const absl::Time expiry = now + options_.session_lifetime;
  *session.mutable_expire_time() = ToTimestamp(expiry);
  *session.mutable_idle_expire_time() = ToTimestamp(std::min(now + options_.session_idle, expiry));
  session.set_client_address(address);
  v1::SecurityEvent login = Event(v1::SECURITY_EVENT_LOGIN, now, principal, address);
  login.set_session(session.name());
  absl::Status started = backend_.auth->StartSession(token_sha256, session, login, check.hash,
                                                     now, {.deadline = deadline});
  // The password it matched is no longer the principal's.
  if (absl::IsAborted(started)) return LoginFailed();
  RETURN_IF_ERROR(started);
  // Only a login that happened forgets the failures.
  throttle_.RecordSuccess(PrincipalKey(principal));
  return response;
}

grpc::Status AuthServiceImpl::Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                                    v1::LoginResponse* response) {
  absl::StatusOr<v1::LoginResponse> result =
      DoLogin(*request, ClientAddress(*context), CallDeadline(*context));
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::Logout(grpc::ServerContext* context,
                                     const v1::LogoutRequest* request,
                                     v1::LogoutResponse* response) {
  return ServeUnary(
      *context, backend_, Method("Logout"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::LogoutResponse> {
        if (caller.session.empty()) {
          return ErrorWithReason(absl::StatusCode::kFailedPrecondition, "NOT_A_SESSION",
                                 "the call is authenticated by a bearer token, not a login "
                                 "session: there is nothing to log out of");
        }
        v1::SecurityEvent event = Event(v1::SECURITY_EVENT_LOGOUT, backend_.WallNow(),
                                        caller.principal, ClientAddress(*context));
        RETURN_IF_ERROR(
            backend_.auth->EndSession(caller.session, event, {.deadline = caller.deadline})
                .status());
        return v1::LogoutResponse();
      });
}

grpc::Status AuthServiceImpl::SetPassword(grpc::ServerContext* context,
                                          const v1::SetPasswordRequest* request,
                                          v1::SetPasswordResponse* response) {
  return ServeUnary(
      *context, backend_, Method("SetPassword"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::SetPasswordResponse> {
        if (request->principal().empty()) return InvalidField("principal", "is required");
        const std::string principal = NormalizePrincipal(request->principal());
        const bool admin = caller.HasRole(v1::ROLE_ADMIN);
        if (principal != caller.principal && !admin) {
          return ErrorWithReason(absl::StatusCode::kPermissionDenied, "NOT_OWN_PASSWORD",
                                 absl::StrCat(caller.principal, " may set only its own password; "
                                              "an ADMIN resets another's"),
                                 {{"principal", principal}});
        }
        std::optional<v1::Principal> target = backend_.directory->FindPrincipal(principal);
        if (!target) {
          return ErrorWithReason(absl::StatusCode::kNotFound, "PRINCIPAL_NOT_FOUND",
                                 absl::StrCat("no principal ", principal),
                                 {{"principal", principal}});
        }
        RETURN_IF_ERROR(ValidateNewPassword(request->password(), *target));
        const absl::Time now = backend_.WallNow();
        const std::string address = ClientAddress(*context);
        ASSIGN_OR_RETURN(std::unique_ptr<HashTurn> turn, TakeHashTurn());
        if (!admin) {
          if (request->old_password().empty()) {
            return InvalidField("old_password", "is required to change one's own password");
          }
          RETURN_IF_ERROR(CheckNotLockedOut(PrincipalKey(principal), now));
          ASSIGN_OR_RETURN(const PasswordCheck check,
                           CheckPassword(principal, true, request->old_password()));
          if (!check.right) {
            throttle_.RecordFailure(PrincipalKey(principal), now);
            return InvalidField("old_password", "is not the current password");
          }
        }
        ASSIGN_OR_RETURN(std::string hash, HashPassword(request->password()));
        v1::PasswordCredential credential;
        credential.set_hash(std::move(hash));
        *credential.mutable_set_time() = ToTimestamp(now);
        credential.set_set_by(caller.principal);
        v1::SecurityEvent event = Event(v1::SECURITY_EVENT_PASSWORD_SET, now, principal, address);
        if (caller.principal != principal) event.set_actor(caller.principal);
        ASSIGN_OR_RETURN(const int ended,
                         backend_.auth->SetPassword(principal, credential, event,
                                                    {.deadline = caller.deadline}));
        v1::SetPasswordResponse reply;
        reply.set_revoked_sessions(ended);
        return reply;
      });
}

grpc::Status AuthServiceImpl::ListSessions(grpc::ServerContext* context,
                                           const v1::ListSessionsRequest* request,
                                           v1::ListSessionsResponse* response) {
  return ServeUnary(
      *context, backend_, Method("ListSessions"), response,
      [&](const Caller&) -> absl::StatusOr<v1::ListSessionsResponse> {
        ASSIGN_OR_RETURN(const int page_size, PageSize(request->page_size(), 50, 500));
        const std::string principal =
            request->principal().empty() ? "" : NormalizePrincipal(request->principal());
        ASSIGN_OR_RETURN(storage::SessionPage page,
                         backend_.auth->ListSessions(principal, backend_.WallNow(), page_size,
                                                     request->page_token()));
        v1::ListSessionsResponse reply;
        for (v1::Session& session : page.sessions) *reply.add_sessions() = std::move(session);
        reply.set_next_page_token(page.next_page_token);
        return reply;
      });
}

grpc::Status AuthServiceImpl::RevokeSession(grpc::ServerContext* context,
                                            const v1::RevokeSessionRequest* request,
                                            v1::RevokeSessionResponse* response) {
  return ServeUnary(
      *context, backend_, Method("RevokeSession"), response,
      [&](const Caller& caller) -> absl::StatusOr<v1::RevokeSessionResponse> {
        if (request->name().empty()) return InvalidField("name", "is required");
        v1::SecurityEvent event = Event(v1::SECURITY_EVENT_SESSION_REVOKED, backend_.WallNow(), "",
                                        ClientAddress(*context));
        event.set_actor(caller.principal);
        RETURN_IF_ERROR(
            backend_.auth->EndSession(request->name(), event, {.deadline = caller.deadline})
                .status());
        return v1::RevokeSessionResponse();
      });
}

grpc::Status AuthServiceImpl::ListSecurityEvents(grpc::ServerContext* context,
                                                 const v1::ListSecurityEventsRequest* request,
                                                 v1::ListSecurityEventsResponse* response) {
  return ServeUnary(
      *context, backend_, Method("ListSecurityEvents"), response,
      [&](const Caller&) -> absl::StatusOr<v1::ListSecurityEventsResponse> {
        ASSIGN_OR_RETURN(const int page_size, PageSize(request->page_size(), 50, 500));
        const std::string principal =
            request->principal().empty() ? "" : NormalizePrincipal(request->principal());
        ASSIGN_OR_RETURN(storage::SecurityEventPage page,
                         backend_.auth->ListEvents(principal, page_size, request->page_token()));
        v1::ListSecurityEventsResponse reply;
        for (v1::SecurityEvent& event : page.events) *reply.add_events() = std::move(event);
        reply.set_next_page_token(page.next_page_token);
        return reply;
      });
}

}  // namespace duban
