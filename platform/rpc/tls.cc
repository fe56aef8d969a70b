#include "platform/rpc/tls.h"

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

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

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(
    const TlsFiles& files, const std::vector<std::string>& services) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  auto ca = ReadPem(files.ca());
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  for (const std::string& service : services) {
    auto certificate = ReadPem(files.certificate(service));
    if (!certificate.ok()) return certificate.status();
    auto key = ReadPem(files.key(service));
    if (!key.ok()) return key.status();
    options.pem_key_cert_pairs.push_back({*key, *certificate});
  }
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(
    const TlsFiles& files, const std::string& identity) {
  grpc::SslCredentialsOptions options;
  auto ca = ReadPem(files.ca());
  if (!ca.ok()) return ca.status();
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
