#include "tests/bench/load/http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace duban::load {

HttpConnection::HttpConnection(const std::string& host, int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd_);
    fd_ = -1;
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<int> HttpConnection::Exchange(const std::string& request) {
  if (fd_ < 0) return absl::UnavailableError("not connected");
  if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return absl::UnavailableError("send failed");
  }
  buffer_.clear();
  size_t header_end = std::string::npos;
  size_t wanted = std::string::npos;
  char chunk[16384];
  while (wanted == std::string::npos || buffer_.size() < wanted) {
    const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return absl::UnavailableError("connection closed");
    buffer_.append(chunk, static_cast<size_t>(got));
    if (header_end != std::string::npos) continue;
    header_end = buffer_.find("\r\n\r\n");
    if (header_end == std::string::npos) continue;
    size_t length_at = buffer_.find("Content-Length: ");
    if (length_at == std::string::npos) length_at = buffer_.find("content-length: ");
    size_t length = 0;
    if (length_at == std::string::npos || length_at > header_end ||
        !absl::SimpleAtoi(buffer_.substr(length_at + 16, buffer_.find('\r', length_at) - length_at - 16),
                          &length)) {
      return absl::InternalError("a reply without Content-Length");
    }
    wanted = header_end + 4 + length;
  }
  int status = 0;
  if (buffer_.size() < 12 || !absl::SimpleAtoi(buffer_.substr(9, 3), &status)) {
    return absl::InternalError("no status line");
  }
  return status;
}

std::string PostRequest(const std::string& address, const std::string& path,
                        const std::string& token, const std::string& content_type,
                        const std::string& body) {
  return absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: ", address, "\r\n",
                      token.empty() ? "" : absl::StrCat("Authorization: Bearer ", token, "\r\n"),
                      "Content-Type: ", content_type, "\r\nContent-Length: ", body.size(),
                      "\r\n\r\n", body);
}

}  // namespace duban::load
