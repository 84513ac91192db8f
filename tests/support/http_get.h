// HttpGet: the body of `GET path` from 127.0.0.1:port over plain HTTP/1.0 —
// enough to scrape a Prometheus endpoint from a test.
//
//   absl::StatusOr<std::string> metrics = HttpGet(server.metrics_port(), "/metrics");
#ifndef DUBAN_TESTS_SUPPORT_HTTP_GET_H_
#define DUBAN_TESTS_SUPPORT_HTTP_GET_H_

#include <string>

#include "absl/status/statusor.h"

namespace duban::testing {

// UNAVAILABLE if nothing answers, INTERNAL for a status other than 200.
absl::StatusOr<std::string> HttpGet(int port, const std::string& path);

}  // namespace duban::testing

#endif  // DUBAN_TESTS_SUPPORT_HTTP_GET_H_
