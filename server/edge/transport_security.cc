#include "server/edge/transport_security.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/text_file.h"

namespace duban {
namespace {

// Certificates are re-read this often, so renewed ones take effect
// without a restart.
constexpr unsigned int kRefreshSeconds = 300;

absl::Status CheckReadable(const std::string& path, absl::string_view flag) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", text.status().message()));
  return absl::OkStatus();
}

}  // namespace

absl::string_view HostOf(absl::string_view host_port) {
  if (absl::StartsWith(host_port, "[")) {
    size_t end = host_port.find(']');
    return end == absl::string_view::npos ? host_port : host_port.substr(1, end - 1);
  }
  size_t colon = host_port.rfind(':');
  return colon == absl::string_view::npos ? host_port : host_port.substr(0, colon);
}

bool IsLoopbackAddress(absl::string_view host_port) {
  const absl::string_view host = HostOf(host_port);
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& tls, absl::string_view listen, bool insecure) {
  if (!tls.enabled()) {
    if (!tls.client_ca.empty() || !tls.crl_dir.empty() || tls.require_client_cert) {
      return absl::InvalidArgumentError(
          "--tls_client_ca, --tls_crl_dir and --tls_require_client_cert need --tls_cert");
    }
    if (!insecure && !IsLoopbackAddress(listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plaintext is served on loopback only; give --tls_cert and --tls_key to listen on ",
          listen, ", or --insecure to serve it in plaintext anyway"));
    }
    return grpc::InsecureServerCredentials();
  }
  if (tls.cert.empty() || tls.key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (auto s = CheckReadable(tls.cert, "--tls_cert"); !s.ok()) return s;
  if (auto s = CheckReadable(tls.key, "--tls_key"); !s.ok()) return s;
  if (!tls.client_ca.empty()) {
    if (auto s = CheckReadable(tls.client_ca, "--tls_client_ca"); !s.ok()) return s;
  }
  if (tls.client_ca.empty() && (!tls.crl_dir.empty() || tls.require_client_cert)) {
    return absl::InvalidArgumentError(
        "--tls_crl_dir and --tls_require_client_cert need --tls_client_ca");
  }
  if (!tls.crl_dir.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(tls.crl_dir, error)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls_crl_dir: ", tls.crl_dir, " is not a directory"));
    }
  }
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.key, tls.cert, tls.client_ca, kRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (!tls.client_ca.empty()) {
    options.watch_root_certs();
    options.set_cert_request_type(tls.require_client_cert
                                      ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                      : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!tls.crl_dir.empty()) options.set_crl_directory(tls.crl_dir);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace duban
