// HttpGateway: duband's second front door. It serves every method of every
// duban.v1 service over HTTP/1.1 in the Connect protocol v1 (JSON or
// protobuf bodies; docs/http.md), by forwarding each request over the gRPC
// server's in-process channel (forwarded_call.h) — so authentication, the
// access table, validation, request ids, logs and metrics are exactly those
// of gRPC. It also serves the web console's files (static_files.h).
//
//   HttpGatewayOptions options;
//   options.listen = "127.0.0.1:7480";
//   options.services = {"duban.v1.TicketService", ...};
//   ASSIGN_OR_RETURN(std::unique_ptr<HttpGateway> gateway,
//                    HttpGateway::Start(options, server->InProcessChannel(args)));
//   ...
//   gateway->Stop();
//
// Limits: request bodies over `max_body_bytes` are refused 413, more than
// kMaxHeaders header lines 431 (cpp-httplib refuses a line over 8 KiB
// itself), a client that sends or reads too slowly is dropped after
// `io_timeout`, an idle keep-alive connection after `keep_alive`; at most
// `max_streams` streams are open at once, and one more is refused 429 at
// once. Every reply carries the security headers (CSP, nosniff,
// Referrer-Policy, frame denial; HSTS over TLS). Cross-origin requests are
// answered only for the origins in `cors_origins`.
//
// Threads: cpp-httplib's pool of `threads` serves connections, one at a
// time each; streams hold theirs while open. Start and Stop may be called
// from any thread; Stop is idempotent.
#ifndef DUBAN_SERVER_EDGE_HTTP_GATEWAY_H_
#define DUBAN_SERVER_EDGE_HTTP_GATEWAY_H_

#include <grpcpp/channel.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/edge/forwarded_call.h"
#include "server/edge/https_certificate.h"
#include "server/edge/json_codec.h"
#include "server/edge/static_files.h"
#include "server/edge/transport_security.h"

namespace duban {

inline constexpr int kMaxHeaders = 100;

struct HttpGatewayOptions {
  // host:port; port 0 picks a free one.
  std::string listen;
  // The same certificate and key as the gRPC port: HTTPS when set, re-read
  // like the gRPC port's (https_certificate.h). Client certificates are not
  // asked for (a browser authenticates by session).
  TlsFiles tls;
  // Plaintext on an address other than loopback.
  bool insecure = false;
  // The services whose methods are served: "duban.v1.TicketService", ...
  std::vector<std::string> services;
  // The web console's directory; "" for none.
  std::string console_dir;
  // Origins ("https://portal.example.gov.cn") whose pages may call the API
  // from another origin; empty: none (CORS off).
  std::vector<std::string> cors_origins;
  int max_body_bytes = 1 << 20;
  int max_streams = 32;
  int threads = 64;
  absl::Duration io_timeout = absl::Seconds(10);
  absl::Duration keep_alive = absl::Seconds(5);
};

class HttpGateway {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      HttpGatewayOptions options, std::shared_ptr<grpc::Channel> channel);

  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;
  ~HttpGateway();

  int port() const { return port_; }
  bool tls() const { return options_.tls.enabled(); }
  // Ends the open streams (each with its end-of-stream message), stops
  // accepting, and waits for the requests in flight.
  void Stop();

 private:
  explicit HttpGateway(HttpGatewayOptions options) : options_(std::move(options)) {}
  void Route();
  httplib::Server::HandlerResponse Admit(const httplib::Request& request,
                                         httplib::Response& response) const;
  // The request's body, at most max_body_bytes; nullopt, with the refusal
  // in `response`, when it is longer or cannot be read.
  std::optional<std::string> ReadBody(const httplib::ContentReader& reader,
                                      httplib::Response& response) const;
  void Preflight(const httplib::Request& request, httplib::Response& response) const;
  void Call(const httplib::Request& request, const std::string& body,
            httplib::Response& response);
  void Stream(ForwardedCall call, const std::string& output_type, bool json,
              std::string request_bytes, httplib::Response& response);

  const HttpGatewayOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  JsonCodec codec_;
  std::optional<StaticFiles> console_;
  // With TLS: what the server presents; outlives server_.
  std::shared_ptr<HttpsCertificate> certificate_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
  std::atomic<int> open_streams_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listener_ended_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace duban

#endif  // DUBAN_SERVER_EDGE_HTTP_GATEWAY_H_
