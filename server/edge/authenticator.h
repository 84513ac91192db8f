// Authenticator: who is calling. Maps the `authorization: Bearer <token>`
// metadata of a call to the principal whose token hash matches, or else to
// the principal of the login session whose token it is (storage/auth_store.h);
// a call without it, over mutual TLS, is the principal its client
// certificate names: subject common name "wang" is principals/wang.
//
// A session authenticates until its idle or absolute expiry; each use moves
// the idle expiry on (stored at most once a minute).
//
//   ASSIGN_OR_RETURN(Caller caller, authenticator.Authenticate(*context));
//
// UNAUTHENTICATED when there is neither token nor verified certificate, the
// metadata is malformed, the token or certificate names no principal, or the
// session has expired.
// Thread-safe.
#ifndef DUBAN_SERVER_EDGE_AUTHENTICATOR_H_
#define DUBAN_SERVER_EDGE_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "domain/caller.h"
#include "storage/auth_store.h"
#include "storage/directory_store.h"

namespace duban {

class Authenticator {
 public:
  // `directory` and `sessions` are not owned and must outlive the
  // authenticator; `sessions` may be null (no login sessions). `now` is the
  // server's clock.
  Authenticator(const storage::DirectoryStore* directory, storage::AuthStore* sessions,
                std::function<absl::Time()> now)
      : directory_(directory), sessions_(sessions), now_(std::move(now)) {}

  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& context) const;

  // Called with every call authenticated and its principal (for the call
  // log). Set before the server starts.
  using PrincipalListener =
      std::function<void(const grpc::ServerContextBase& call, const std::string& principal)>;
  void set_principal_listener(PrincipalListener listener) { listener_ = std::move(listener); }

 private:
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) const;
  absl::StatusOr<Caller> FromSession(const std::string& token_sha256) const;

  const storage::DirectoryStore* directory_;
  storage::AuthStore* sessions_;
  std::function<absl::Time()> now_;
  PrincipalListener listener_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_AUTHENTICATOR_H_
