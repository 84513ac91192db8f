#include "server/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "server/domain/errors.h"
#include "server/domain/sha256.h"

namespace duban {

absl::StatusOr<Caller> Authenticator::Authenticate(const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return ErrorWithReason(absl::StatusCode::kUnauthenticated, "MISSING_TOKEN",
                           "no authorization metadata: send `authorization: Bearer <token>`");
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
