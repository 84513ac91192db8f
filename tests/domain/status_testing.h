// Reading the payloads that errors.h attaches to an absl::Status, for tests.
//
//   EXPECT_EQ(ErrorReason(status), "STAGE_MISMATCH");
//   EXPECT_THAT(BadRequestFields(status), ElementsAre("ticket.title"));
//   EXPECT_EQ(ErrorMetadata(status, "current_stage"), "DEPLOY");
#ifndef DUBAN_TESTS_DOMAIN_STATUS_TESTING_H_
#define DUBAN_TESTS_DOMAIN_STATUS_TESTING_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/errors.h"
#include "google/rpc/error_details.pb.h"

namespace duban::testing {

inline constexpr absl::string_view kBadRequestUrl = "type.googleapis.com/google.rpc.BadRequest";
inline constexpr absl::string_view kErrorInfoUrl = "type.googleapis.com/google.rpc.ErrorInfo";

// The field of every BadRequest violation `status` carries, in order; empty
// when it carries none.
inline std::vector<std::string> BadRequestFields(const absl::Status& status) {
  std::vector<std::string> fields;
  auto payload = status.GetPayload(kBadRequestUrl);
  if (!payload) return fields;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return {"<unparsable BadRequest>"};
  for (const auto& violation : bad_request.field_violations()) {
    fields.push_back(violation.field());
  }
  return fields;
}

// The ErrorInfo metadata value under `key`, or "" when there is none.
inline std::string ErrorMetadata(const absl::Status& status, const std::string& key) {
  auto payload = status.GetPayload(kErrorInfoUrl);
  if (!payload) return "";
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return "";
  auto it = info.metadata().find(key);
  return it == info.metadata().end() ? "" : it->second;
}

}  // namespace duban::testing

#endif  // DUBAN_TESTS_DOMAIN_STATUS_TESTING_H_
