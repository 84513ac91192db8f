// HttpConnection: one keep-alive HTTP/1.1 connection sending prepared
// requests and reading each reply's status line, headers and
// Content-Length body — what a load generator such as wrk does, so that the
// client's own cost on this machine stays small beside the server's, as
// the gRPC phases' async client's does.
//
//   HttpConnection connection("127.0.0.1", port);
//   absl::StatusOr<int> status = connection.Exchange(PostRequest(...));
//
// Not thread-safe: one per thread.
#ifndef DUBAN_TESTS_BENCH_LOAD_HTTP_CONNECTION_H_
#define DUBAN_TESTS_BENCH_LOAD_HTTP_CONNECTION_H_

#include <string>

#include "absl/status/statusor.h"

namespace duban::load {

class HttpConnection {
 public:
  // Connects to host (an IPv4 address) at `port`, with TCP_NODELAY as
  // browsers set it. A failed connection fails every Exchange.
  HttpConnection(const std::string& host, int port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` and reads the reply; returns its status code, or an
  // error when the connection fails or the reply has no Content-Length.
  absl::StatusOr<int> Exchange(const std::string& request);
  // The last reply, status line to body.
  const std::string& reply() const { return buffer_; }

 private:
  int fd_ = -1;
  std::string buffer_;
};

// The bytes of `POST path` with `body` of `content_type`, and an
// Authorization: Bearer header unless `token` is "".
std::string PostRequest(const std::string& address, const std::string& path,
                        const std::string& token, const std::string& content_type,
                        const std::string& body);

}  // namespace duban::load

#endif  // DUBAN_TESTS_BENCH_LOAD_HTTP_CONNECTION_H_
