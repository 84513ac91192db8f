// Errors that tell the caller exactly what went wrong.
//
// Every error made here carries the payloads of a google.rpc.Status: an
// ErrorInfo with an UPPER_SNAKE `reason`, and for bad fields a BadRequest
// listing each field. The RPC edge copies the payloads into the status
// details unchanged (server/edge/rpc_status.h).
//
//   FieldViolations violations;
//   if (title.empty()) violations.Add("ticket.title", "is required");
//   RETURN_IF_ERROR(violations.ToStatus());
#ifndef DUBAN_BASE_ERRORS_H_
#define DUBAN_BASE_ERRORS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace duban {

// The ErrorInfo domain of every error this server makes.
inline constexpr absl::string_view kErrorDomain = "duban.cn";

// Collects bad fields; ToStatus() is INVALID_ARGUMENT naming all of them, or
// OK when there are none. Not thread-safe.
class FieldViolations {
 public:
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  [[nodiscard]] absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT for one field: "<field>: <description>".
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// A status with `code` and message, carrying an ErrorInfo with `reason` and
// `metadata`.
absl::Status ErrorWithReason(absl::StatusCode code, absl::string_view reason,
                             absl::string_view message,
                             const std::map<std::string, std::string>& metadata = {});

// ABORTED naming `resource` when `requested` is set and is not `current`;
// OK otherwise.
[[nodiscard]] absl::Status CheckEtag(absl::string_view resource, absl::string_view current,
                                     absl::string_view requested);

// The ErrorInfo reason carried by `status`, or "" when there is none.
std::string ErrorReason(const absl::Status& status);

}  // namespace duban

#endif  // DUBAN_BASE_ERRORS_H_
