#include "domain/checkpoint_rules.h"

#include "base/checkpoint_signature.h"
#include "base/errors.h"
#include "base/status_macros.h"

namespace duban {

absl::Status Validate(const v1::VerifyAuditRequest& request, absl::string_view server_public_key) {
  if (!request.has_checkpoint()) return absl::OkStatus();
  const v1::Checkpoint& given = request.checkpoint();
  if (given.cursor() <= 0) return InvalidField("checkpoint.cursor", "must be positive");
  RETURN_IF_ERROR(VerifyCheckpointSignature(given));
  if (!server_public_key.empty() && given.public_key() != server_public_key) {
    return InvalidField("checkpoint.public_key", "is not this server's audit key");
  }
  return absl::OkStatus();
}

}  // namespace duban
