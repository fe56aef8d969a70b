#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace grpc {
class ServerCredentials;
class ChannelCredentials;
}  // namespace grpc

namespace travio::rpc {

/// Files written by `travio certs init`: `ca.pem`, and `<service>.pem` / `<service>.key` per
/// service (certificate with the service name in its SAN, and its private key).
struct TlsFiles {
  std::filesystem::path directory;

  std::filesystem::path ca() const { return directory / "ca.pem"; }
  std::filesystem::path certificate(const std::string& service) const {
    return directory / (service + ".pem");
  }
  std::filesystem::path key(const std::string& service) const {
    return directory / (service + ".key");
  }
};

/// Server credentials presenting the certificate of every service in `services` (chosen by
/// the client's SNI, which is the service name) and requiring a client certificate signed by
/// the CA. Fails with kFailedPrecondition naming a missing file and how to create it.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(
    const TlsFiles& files, const std::vector<std::string>& services);

/// Client credentials: the CA to verify servers and `identity`'s certificate and key to
/// present.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(
    const TlsFiles& files, const std::string& identity);

/// Writes a development CA and one certificate per service (ECDSA P-256, SANs
/// DNS:<service>, DNS:localhost, IP:127.0.0.1; usable as server and client). Private keys are
/// written with mode 0600. Refuses to overwrite existing files unless `overwrite`.
absl::Status WriteDevelopmentCertificates(const std::filesystem::path& directory,
                                          const std::vector<std::string>& services, bool overwrite);

}  // namespace travio::rpc
