// Authenticator: who is calling. Maps the `authorization: Bearer <token>`
// metadata of a call to the principal whose token hash matches; a call
// without it, over mutual TLS, is the principal its client certificate
// names: subject common name "wang" is principals/wang.
//
//   ASSIGN_OR_RETURN(Caller caller, authenticator.Authenticate(*context));
//
// UNAUTHENTICATED when there is neither token nor verified certificate, the
// metadata is malformed, or the token or certificate names no principal.
// Thread-safe.
#ifndef DUBAN_SERVER_EDGE_AUTHENTICATOR_H_
#define DUBAN_SERVER_EDGE_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "domain/caller.h"
#include "storage/directory_store.h"

namespace duban {

class Authenticator {
 public:
  // `directory` is not owned and must outlive the authenticator.
  explicit Authenticator(const storage::DirectoryStore* directory) : directory_(directory) {}

  absl::StatusOr<Caller> Authenticate(const grpc::ServerContextBase& context) const;

  // Called with every call authenticated and its principal (for the call
  // log). Set before the server starts.
  using PrincipalListener =
      std::function<void(const grpc::ServerContextBase& call, const std::string& principal)>;
  void set_principal_listener(PrincipalListener listener) { listener_ = std::move(listener); }

 private:
  absl::StatusOr<Caller> Identify(const grpc::ServerContextBase& context) const;

  const storage::DirectoryStore* directory_;
  PrincipalListener listener_;
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_AUTHENTICATOR_H_
