// AuthServiceImpl: the gRPC edge of duban.v1.AuthService — passwords, login
// sessions, lockouts and the security events (docs/security.md).
//
// Login is the one method that needs no authentication: it is refused
// before the password is looked at while the principal or the client's
// address is locked out, and answers a wrong password, an unknown
// principal and a principal without a password alike (the same message,
// and a hash verified in each case, so the time does not tell either).
//
// Password hashing takes 64 MiB and about 0.1 s of a core, so at most
// `max_concurrent_hashes` run at once; a call that waits longer than a
// second for a turn is refused RESOURCE_EXHAUSTED.
//
// Sessions and lockouts run on the wall clock (Backend::WallNow), not on a
// training county's faster one.
#ifndef DUBAN_SERVER_SERVICES_AUTH_SERVICE_H_
#define DUBAN_SERVER_SERVICES_AUTH_SERVICE_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "base/mutex.h"
#include "domain/login_throttle.h"
#include "duban/v1/auth_service.grpc.pb.h"
#include "server/edge/parse_checked_service.h"
#include "server/runtime/backend.h"

namespace duban {

struct AuthOptions {
  // A session ends after this long unused, or this long after login,
  // whichever comes first.
  absl::Duration session_idle = absl::Hours(2);
  absl::Duration session_lifetime = absl::Hours(12);
  // --dev: a principal without a password logs in with its id.
  bool dev_passwords = false;
  LoginThrottlePolicy throttle;
  int max_concurrent_hashes = 2;
};

class AuthServiceImpl final : public ServiceWithHandlers<v1::AuthService> {
 public:
  // `backend` is not owned and must outlive the service.
  AuthServiceImpl(const Backend* backend, AuthOptions options)
      : backend_(*backend), options_(options), throttle_(options.throttle) {}

  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;
  grpc::Status SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                           v1::SetPasswordResponse* response) override;
  grpc::Status ListSessions(grpc::ServerContext* context, const v1::ListSessionsRequest* request,
                            v1::ListSessionsResponse* response) override;
  grpc::Status RevokeSession(grpc::ServerContext* context,
                             const v1::RevokeSessionRequest* request,
                             v1::RevokeSessionResponse* response) override;
  grpc::Status ListSecurityEvents(grpc::ServerContext* context,
                                  const v1::ListSecurityEventsRequest* request,
                                  v1::ListSecurityEventsResponse* response) override;

 private:
  // Holds one of the hashing turns while alive.
  class HashTurn {
   public:
    explicit HashTurn(AuthServiceImpl* service) : service_(service) {}
    HashTurn(const HashTurn&) = delete;
    HashTurn& operator=(const HashTurn&) = delete;
    ~HashTurn();

   private:
    AuthServiceImpl* service_;
  };
  // A turn to hash, waiting up to a second; RESOURCE_EXHAUSTED otherwise.
  absl::StatusOr<std::unique_ptr<HashTurn>> TakeHashTurn();

  absl::StatusOr<v1::LoginResponse> DoLogin(const v1::LoginRequest& request,
                                            const std::string& address, absl::Time deadline);
  // Whether `password` is the principal's; with no such principal or no
  // password, false after as much work as a check. The caller holds a
  // hashing turn.
  struct PasswordCheck {
    bool right = false;
    // The stored hash it was checked against; nullopt when there was none.
    std::optional<std::string> hash;
  };
  absl::StatusOr<PasswordCheck> CheckPassword(const std::string& principal, bool exists,
                                              absl::string_view password);
  // Counts a failed login against the principal and the address, then
  // records it (and any lockout it started) as security events.
  absl::Status RecordFailedLogin(const std::string& principal, const std::string& address,
                                 absl::Time now);
  // RESOURCE_EXHAUSTED with the time to retry when `key` is locked out.
  absl::Status CheckNotLockedOut(const std::string& key, absl::Time now) const;
  const std::string& DummyHash();

  const Backend& backend_;
  const AuthOptions options_;
  LoginThrottle throttle_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once, under dummy_once_
  Mutex turns_mutex_;
  CondVar turn_freed_;
  int turns_taken_ ABSL_GUARDED_BY(turns_mutex_) = 0;
};

}  // namespace duban

#endif  // DUBAN_SERVER_SERVICES_AUTH_SERVICE_H_
