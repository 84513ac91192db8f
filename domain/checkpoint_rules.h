// What VerifyAudit accepts as the checkpoint to check the audit chain
// against: a cursor into the log, signed, by this server's audit key when
// it has one.
//
//   RETURN_IF_ERROR(Validate(request, signer != nullptr ? signer->public_key() : ""));
//   if (request.has_checkpoint()) ... compare the chain with request.checkpoint() ...
#ifndef DUBAN_DOMAIN_CHECKPOINT_RULES_H_
#define DUBAN_DOMAIN_CHECKPOINT_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "duban/v1/audit_service.pb.h"

namespace duban {

// OK without a checkpoint. With one: a positive cursor, a valid signature
// by checkpoint.public_key (VerifyCheckpointSignature), and that key is
// `server_public_key` unless that is empty (the server has no audit key).
// INVALID_ARGUMENT naming the first bad field under "checkpoint.".
[[nodiscard]] absl::Status Validate(const v1::VerifyAuditRequest& request,
                                    absl::string_view server_public_key);

}  // namespace duban

#endif  // DUBAN_DOMAIN_CHECKPOINT_RULES_H_
