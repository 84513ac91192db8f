#include "server/edge/http_gateway.h"

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cerrno>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "server/edge/client_address.h"
#include "server/edge/connect_protocol.h"
#include "server/edge/forwarded_call.h"

namespace duban {
namespace {

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
constexpr char kAllowedRequestHeaders[] =
    "Authorization, Content-Type, Connect-Protocol-Version, Connect-Timeout-Ms, X-User-Agent";
// The API's paths: "/duban.v1.TicketService/GetTicket".
constexpr absl::string_view kApiPrefix = "/duban.v1.";

std::string MediaType(const httplib::Request& request) {
  std::string type = request.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

void Refuse(httplib::Response& response, int http_status, grpc::StatusCode code,
            absl::string_view message) {
  response.status = http_status;
  if (!response.has_header("Cache-Control")) response.set_header("Cache-Control", "no-store");
  response.set_content(ConnectErrorJson(code, message), "application/json");
}

// "/duban.v1.TicketService/GetTicket" → its method, if one of `services`.
const google::protobuf::MethodDescriptor* FindMethod(absl::string_view path,
                                                     const std::vector<std::string>& services) {
  absl::ConsumePrefix(&path, "/");
  const size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return nullptr;
  const std::string service(path.substr(0, slash));
  if (std::find(services.begin(), services.end(), service) == services.end()) return nullptr;
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  if (descriptor == nullptr) return nullptr;
  return descriptor->FindMethodByName(std::string(path.substr(slash + 1)));
}

// The `connect-timeout-ms` deadline; nullopt when the header is malformed.
std::optional<absl::Time> DeadlineOf(const httplib::Request& request) {
  if (!request.has_header("Connect-Timeout-Ms")) return absl::InfiniteFuture();
  const std::string value = request.get_header_value("Connect-Timeout-Ms");
  int64_t milliseconds = 0;
  if (value.empty() || value.size() > 10 || !absl::SimpleAtoi(value, &milliseconds) ||
      milliseconds < 0) {
    return std::nullopt;
  }
  return absl::Now() + absl::Milliseconds(milliseconds);
}

absl::StatusOr<int> PortOf(absl::string_view listen) {
  int port = 0;
  const size_t colon = listen.rfind(':');
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen must be HOST:PORT, not ", listen));
  }
  return port;
}

// cpp-httplib 0.11 listens with a backlog of 5: a burst of new
// connections (an office opening the console at nine) overflows it, and
// the connections it drops are reset. Linux lets listen() be called again
// on a listening socket to change its backlog; the socket is found by the
// port it is bound to, before anything accepts on it.
void RaiseListenBacklog(int port) {
  for (int fd = 0; fd < 65536; ++fd) {
    int listening = 0;
    socklen_t size = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0) {
      if (errno == EBADF && fd > 1024) break;
      continue;
    }
    if (listening == 0) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) continue;
    int bound = -1;
    if (address.ss_family == AF_INET) {
      bound = ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    } else if (address.ss_family == AF_INET6) {
      bound = ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    }
    if (bound == port) listen(fd, SOMAXCONN);
  }
}

// HTTPS presenting `certificate` when there is one; plain HTTP otherwise.
std::unique_ptr<httplib::Server> NewServer(HttpsCertificate* certificate) {
  if (certificate == nullptr) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>([certificate](SSL_CTX& context) {
    certificate->Install(context);
    return SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION) == 1;
  });
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    HttpGatewayOptions options, std::shared_ptr<grpc::Channel> channel) {
  absl::StatusOr<int> port = PortOf(options.listen);
  if (!port.ok()) return port.status();
  if (!options.tls.enabled() && !options.insecure && !IsLoopbackAddress(options.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen ", options.listen,
        " is not a loopback address: serve it with --tls_cert and --tls_key, or pass --insecure"));
  }
  std::unique_ptr<HttpGateway> gateway(new HttpGateway(std::move(options)));
  const HttpGatewayOptions& settings = gateway->options_;
  gateway->channel_ = std::move(channel);
  if (!settings.console_dir.empty()) {
    absl::StatusOr<StaticFiles> console = StaticFiles::Open(settings.console_dir);
    if (!console.ok()) return console.status();
    gateway->console_.emplace(*std::move(console));
  }
  if (settings.tls.enabled()) {
    absl::StatusOr<std::shared_ptr<HttpsCertificate>> certificate =
        HttpsCertificate::Load(settings.tls.cert, settings.tls.key, [] { return absl::Now(); });
    if (!certificate.ok()) return certificate.status();
    gateway->certificate_ = *std::move(certificate);
  }
  gateway->server_ = NewServer(gateway->certificate_.get());
  if (!gateway->server_->is_valid()) {
    return absl::InternalError("--http_listen: cannot set up TLS");
  }
  gateway->Route();
  const std::string host(HostOf(settings.listen));
  const std::string unbracketed(absl::StripSuffix(absl::StripPrefix(host, "["), "]"));
  if (*port == 0) {
    gateway->port_ = gateway->server_->bind_to_any_port(unbracketed);
  } else if (gateway->server_->bind_to_port(unbracketed, *port)) {
    gateway->port_ = *port;
  }
  if (gateway->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("--http_listen: cannot listen on ", settings.listen));
  }
  RaiseListenBacklog(gateway->port_);
  HttpGateway* started = gateway.get();
  gateway->listener_ = std::thread([started] {
    started->server_->listen_after_bind();
    started->listener_ended_ = true;
  });
  // cpp-httplib's stop() does nothing until its loop has begun: a Stop()
  // right after Start() must find it running.
  while (!started->server_->is_running() && !started->listener_ended_) {
    std::this_thread::yield();
  }
  return gateway;
}

void HttpGateway::Route() {
  httplib::Server& server = *server_;
  httplib::Headers headers = {
      {"Content-Security-Policy", kContentSecurityPolicy},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
  if (options_.tls.enabled()) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000");
  }
  server.set_default_headers(std::move(headers));
  const int threads = options_.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options_.max_body_bytes);
  // Replies go out as headers, then body: without TCP_NODELAY the body
  // waits for the client's delayed ACK (40 ms a call).
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(absl::ToInt64Seconds(options_.keep_alive));
  server.set_read_timeout(absl::ToChronoSeconds(options_.io_timeout));
  server.set_write_timeout(absl::ToChronoSeconds(options_.io_timeout));
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        return Admit(request, response);
      });
  // Every method that may carry a body is read through a bounded reader
  // (ReadBody): cpp-httplib 0.11 caps a body only when it has a
  // Content-Length, and would keep a chunked one whole.
  server.Post(R"(/duban\.v1\.[A-Za-z0-9_]+/[A-Za-z0-9_]+)",
              [this](const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader) {
                std::optional<std::string> body = ReadBody(reader, response);
                if (body) Call(request, *body, response);
              });
  const auto refuse_method = [this](const httplib::Request& request, httplib::Response& response,
                                    const httplib::ContentReader& reader) {
    if (!ReadBody(reader, response)) return;
    if (absl::StartsWith(request.path, kApiPrefix)) {
      Refuse(response, request.method == "POST" ? 404 : 405, grpc::StatusCode::UNIMPLEMENTED,
             absl::StrCat(request.method == "POST" ? "no such method: " : "call with POST: ",
                          request.method, " ", request.path));
      if (request.method != "POST") response.set_header("Allow", "POST");
      return;
    }
    response.status = request.method == "POST" ? 404 : 405;
    if (request.method != "POST") response.set_header("Allow", "GET");
  };
  server.Post(".*", refuse_method);
  server.Put(".*", refuse_method);
  server.Patch(".*", refuse_method);
  server.Delete(".*", refuse_method);
  server.Options(".*", [this](const httplib::Request& request, httplib::Response& response) {
    Preflight(request, response);
  });
  server.Get(".*", [this](const httplib::Request& request, httplib::Response& response) {
    if (absl::StartsWith(request.path, kApiPrefix)) {
      Refuse(response, 405, grpc::StatusCode::UNIMPLEMENTED,
             absl::StrCat(request.path, " is called with POST, not ", request.method));
      response.set_header("Allow", "POST");
      return;
    }
    if (console_) {
      console_->Serve(request, response);
      return;
    }
    response.status = 404;
    response.set_content("no console here: duband serves one with --console_dir\n",
                         "text/plain; charset=utf-8");
  });
  // What cpp-httplib answers by itself (413 for a declared length over the
  // limit, whose body it skips; 400 for a request it cannot parse), in the
  // form a Connect client reads.
  server.set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    switch (response.status) {
      case 413:
        Refuse(response, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
               absl::StrCat("the request body is larger than ", options_.max_body_bytes,
                            " bytes"));
        break;
      case 400:
        Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
               "the request could not be read");
        break;
    }
  });
}

std::optional<std::string> HttpGateway::ReadBody(const httplib::ContentReader& reader,
                                                 httplib::Response& response) const {
  // Past the limit the rest is read and dropped, so the connection stays in
  // step with the client; past kMaxDrained the read stops.
  constexpr uint64_t kMaxDrained = uint64_t{64} << 20;
  std::string body;
  uint64_t read = 0;
  bool too_large = false;
  const bool complete = reader([&](const char* data, size_t size) {
    read += size;
    if (body.size() + size > static_cast<size_t>(options_.max_body_bytes)) too_large = true;
    if (!too_large) body.append(data, size);
    return read <= kMaxDrained;
  });
  if (too_large) {
    Refuse(response, 413, grpc::StatusCode::RESOURCE_EXHAUSTED,
           absl::StrCat("the request body is larger than ", options_.max_body_bytes, " bytes"));
    return std::nullopt;
  }
  if (!complete) {
    // cpp-httplib has set the status (413 for a declared length over the
    // limit, 400 otherwise); the error handler writes the body.
    if (response.status == -1) response.status = 400;
    return std::nullopt;
  }
  return body;
}

// Before the body is read: CORS headers on the reply, and the requests that
// may not have a body at all.
httplib::Server::HandlerResponse HttpGateway::Admit(const httplib::Request& request,
                                                    httplib::Response& response) const {
  using Handled = httplib::Server::HandlerResponse;
  const std::string origin = request.get_header_value("Origin");
  if (!origin.empty() && std::find(options_.cors_origins.begin(), options_.cors_origins.end(),
                                   origin) != options_.cors_origins.end()) {
    response.set_header("Access-Control-Allow-Origin", origin);
    response.set_header("Vary", "Origin");
  }
  const bool may_have_body = request.method == "POST" || request.method == "PUT" ||
                             request.method == "PATCH" || request.method == "DELETE";
  const bool declares_body = request.has_header("Content-Length") ||
                             request.get_header_value("Transfer-Encoding") == "chunked";
  // HTTP/1.1: a request without either has no body; cpp-httplib would read
  // one until the connection closed.
  if (may_have_body && !declares_body) {
    Refuse(response, 411, grpc::StatusCode::INVALID_ARGUMENT,
           "a request with a body says how long it is: Content-Length or chunked");
    return Handled::Handled;
  }
  // cpp-httplib would read a body of these without bound, or hand a
  // multipart body to a parser of its own: neither is the API's.
  if (request.method == "PRI" ||
      absl::StartsWithIgnoreCase(request.get_header_value("Content-Type"), "multipart/")) {
    Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
           "neither HTTP/2 nor multipart bodies are served here");
    return Handled::Handled;
  }
  // Headers past the limit (already read): refused before any body is, for
  // requests that have none.
  if (!may_have_body && request.headers.size() > static_cast<size_t>(kMaxHeaders)) {
    Refuse(response, 431, grpc::StatusCode::RESOURCE_EXHAUSTED,
           absl::StrCat("more than ", kMaxHeaders, " header lines"));
    return Handled::Handled;
  }
  return Handled::Unhandled;
}

void HttpGateway::Preflight(const httplib::Request& request, httplib::Response& response) const {
  if (!response.has_header("Access-Control-Allow-Origin")) {
    response.status = 403;
    response.set_content("cross-origin requests from this origin are not allowed\n",
                         "text/plain; charset=utf-8");
    return;
  }
  response.status = 204;
  response.set_header("Access-Control-Allow-Methods", "POST, GET");
  response.set_header("Access-Control-Allow-Headers", kAllowedRequestHeaders);
  response.set_header("Access-Control-Max-Age", "7200");
}

void HttpGateway::Call(const httplib::Request& request, const std::string& request_body,
                       httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  if (request.headers.size() > static_cast<size_t>(kMaxHeaders)) {
    Refuse(response, 431, grpc::StatusCode::RESOURCE_EXHAUSTED,
           absl::StrCat("more than ", kMaxHeaders, " header lines"));
    return;
  }
  const google::protobuf::MethodDescriptor* method = FindMethod(request.path, options_.services);
  if (method == nullptr) {
    Refuse(response, 404, grpc::StatusCode::UNIMPLEMENTED,
           absl::StrCat("no such method: ", request.path));
    return;
  }
  if (method->client_streaming()) {
    // A replica's stream (ReplicationService.StreamWal): gRPC only.
    Refuse(response, 404, grpc::StatusCode::UNIMPLEMENTED,
           absl::StrCat(request.path, " streams from the client: call it over gRPC"));
    return;
  }
  const bool streaming = method->server_streaming();
  const std::string media = MediaType(request);
  const absl::string_view json_type = streaming ? "application/connect+json" : "application/json";
  const absl::string_view proto_type =
      streaming ? "application/connect+proto" : "application/proto";
  if (media != json_type && media != proto_type) {
    Refuse(response, 415, grpc::StatusCode::INVALID_ARGUMENT,
           absl::StrCat(request.path, " takes Content-Type ", json_type, " or ", proto_type,
                        ", not \"", media, "\""));
    response.set_header("Accept-Post", absl::StrCat(json_type, ", ", proto_type));
    return;
  }
  const bool json = media == json_type;
  for (const char* header : {"Content-Encoding", "Connect-Content-Encoding"}) {
    const std::string encoding = request.get_header_value(header);
    if (!encoding.empty() && encoding != "identity") {
      Refuse(response, 501, grpc::StatusCode::UNIMPLEMENTED,
             absl::StrCat(header, " ", encoding, " is not supported: send the body uncompressed"));
      return;
    }
  }
  if (request.has_header("Connect-Protocol-Version") &&
      request.get_header_value("Connect-Protocol-Version") != "1") {
    Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
           "Connect-Protocol-Version must be 1");
    return;
  }
  std::optional<absl::Time> deadline = DeadlineOf(request);
  if (!deadline) {
    Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
           "Connect-Timeout-Ms must be a number of milliseconds, at most 10 digits");
    return;
  }
  absl::string_view body = request_body;
  if (streaming) {
    std::optional<absl::string_view> payload = OpenEnvelope(body);
    if (!payload) {
      Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT,
             "a streaming request's body is one uncompressed envelope");
      return;
    }
    body = *payload;
  }
  std::string request_bytes(body);
  if (json) {
    absl::StatusOr<std::string> converted =
        codec_.ToBinary(method->input_type()->full_name(), body);
    if (!converted.ok()) {
      Refuse(response, 400, grpc::StatusCode::INVALID_ARGUMENT, converted.status().message());
      return;
    }
    request_bytes = *std::move(converted);
  }
  ForwardedCall call{.method_path = absl::StrCat("/", method->service()->full_name(), "/",
                                                 method->name()),
                     .deadline = *deadline};
  if (request.has_header("Authorization")) {
    const std::string authorization = request.get_header_value("Authorization");
    // gRPC takes printable ASCII only in metadata values (and aborts on
    // anything else): a token never has more.
    if (!std::all_of(authorization.begin(), authorization.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f; })) {
      Refuse(response, 401, grpc::StatusCode::UNAUTHENTICATED,
             "Authorization must be `Bearer <token>` in printable ASCII");
      return;
    }
    call.metadata.emplace_back("authorization", authorization);
  }
  call.metadata.emplace_back(kClientAddressMetadata, request.remote_addr);
  const std::string output_type = method->output_type()->full_name();
  if (streaming) {
    Stream(std::move(call), output_type, json, std::move(request_bytes), response);
    return;
  }
  std::string response_bytes;
  const grpc::Status status = Unary(*channel_, call, request_bytes, &response_bytes);
  if (!status.ok()) {
    response.status = ConnectHttpStatus(status.error_code());
    response.set_content(ConnectErrorJson(status, codec_), "application/json");
    return;
  }
  if (!json) {
    response.set_content(response_bytes, "application/proto");
    return;
  }
  absl::StatusOr<std::string> reply = codec_.ToJson(output_type, response_bytes);
  if (!reply.ok()) {
    Refuse(response, 500, grpc::StatusCode::INTERNAL, reply.status().message());
    return;
  }
  response.set_content(*reply, "application/json");
}

void HttpGateway::Stream(ForwardedCall call, const std::string& output_type, bool json,
                         std::string request_bytes, httplib::Response& response) {
  if (open_streams_.fetch_add(1) >= options_.max_streams) {
    open_streams_.fetch_sub(1);
    Refuse(response, 429, grpc::StatusCode::RESOURCE_EXHAUSTED,
           absl::StrCat("the server has ", options_.max_streams,
                        " streams open, its most: try again later"));
    return;
  }
  response.status = 200;
  response.set_chunked_content_provider(
      json ? "application/connect+json" : "application/connect+proto",
      [this, call = std::move(call), output_type, json, request_bytes = std::move(request_bytes)](
          size_t, httplib::DataSink& sink) {
        grpc::Status unconverted;
        grpc::Status status = ServerStream(
            *channel_, call, request_bytes,
            [&](const std::string& message) {
              std::string payload = message;
              if (json) {
                absl::StatusOr<std::string> converted = codec_.ToJson(output_type, message);
                if (!converted.ok()) {
                  unconverted = grpc::Status(grpc::StatusCode::INTERNAL,
                                             std::string(converted.status().message()));
                  return false;
                }
                payload = *std::move(converted);
              }
              const std::string envelope = Envelope(0, payload);
              return sink.write(envelope.data(), envelope.size());
            },
            [&] { return !stopping_.load() && sink.is_writable(); });
        if (!unconverted.ok()) status = unconverted;
        const std::string end = Envelope(kEndOfStream, EndOfStreamJson(status, codec_));
        sink.write(end.data(), end.size());
        sink.done();
        return true;
      },
      [this](bool) { open_streams_.fetch_sub(1); });
}

void HttpGateway::Stop() {
  if (stopped_.exchange(true)) return;
  stopping_ = true;
  if (server_) server_->stop();
  if (listener_.joinable()) listener_.join();
}

HttpGateway::~HttpGateway() { Stop(); }

}  // namespace duban
