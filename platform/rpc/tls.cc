#include "platform/rpc/tls.h"

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "platform/rpc/certificate_check.h"

namespace travio::rpc {
namespace {

absl::StatusOr<std::string> ReadPem(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("missing certificate file ", path.string(),
                     "; create development certificates with `travio certs init --out ",
                     path.parent_path().string(), "` or set grpc.tls_dir"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The files of `identity` and the CA, watched: gRPC reads them again every `reload_every`.
// They are checked here first, so a missing or unusable file stops startup with instructions,
// rather than failing every handshake of a process that looks ready.
absl::StatusOr<std::shared_ptr<grpc::experimental::FileWatcherCertificateProvider>> Watched(
    const TlsFiles& files, const std::string& identity, absl::Duration reload_every) {
  if (auto usable = CheckIdentityFiles(files, identity); !usable.ok()) return usable;
  const auto seconds =
      static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(reload_every)));
  return std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      files.key(identity).string(), files.certificate(identity).string(), files.ca().string(),
      seconds);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(
    const TlsFiles& files, const std::vector<std::string>& services, absl::Duration reload_every) {
  if (services.size() == 1 && reload_every > absl::ZeroDuration()) {
    auto provider = Watched(files, services.front(), reload_every);
    if (!provider.ok()) return provider.status();
    grpc::experimental::TlsServerCredentialsOptions options(*provider);
    options.watch_root_certs();
    options.watch_identity_key_cert_pairs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    return grpc::experimental::TlsServerCredentials(options);
  }
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  auto ca = ReadPem(files.ca());
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  for (const std::string& service : services) {
    if (auto usable = CheckIdentityFiles(files, service); !usable.ok()) return usable;
    auto certificate = ReadPem(files.certificate(service));
    if (!certificate.ok()) return certificate.status();
    auto key = ReadPem(files.key(service));
    if (!key.ok()) return key.status();
    options.pem_key_cert_pairs.push_back({*key, *certificate});
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(
    const TlsFiles& files, const std::string& identity, absl::Duration reload_every) {
  if (reload_every > absl::ZeroDuration()) {
    auto provider = Watched(files, identity, reload_every);
    if (!provider.ok()) return provider.status();
    grpc::experimental::TlsChannelCredentialsOptions options;
    options.set_certificate_provider(*provider);
    options.watch_root_certs();
    options.watch_identity_key_cert_pairs();
    options.set_verify_server_certs(true);
    // The server's certificate must name the service the channel wants (its target name).
    options.set_certificate_verifier(
        std::make_shared<grpc::experimental::HostNameCertificateVerifier>());
    return grpc::experimental::TlsCredentials(options);
  }
  grpc::SslCredentialsOptions options;
  auto ca = ReadPem(files.ca());
  if (!ca.ok()) return ca.status();
  if (auto usable = CheckIdentityFiles(files, identity); !usable.ok()) return usable;
  auto certificate = ReadPem(files.certificate(identity));
  if (!certificate.ok()) return certificate.status();
  auto key = ReadPem(files.key(identity));
  if (!key.ok()) return key.status();
  options.pem_root_certs = *ca;
  options.pem_cert_chain = *certificate;
  options.pem_private_key = *key;
  return grpc::SslCredentials(options);
}

}  // namespace travio::rpc
