#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class ServerCredentials;
class ChannelCredentials;
}  // namespace grpc

namespace travio::rpc {

/// What services mount, written by `travio certs init` and `travio certs issue`: `ca.pem` (the
/// CA's certificate, never its key), and `<service>.pem` / `<service>.key` per service
/// (certificate with the service name as common name and in its SAN, and its private key).
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

/// The certificate authority, kept apart from what services mount: `ca.key` and `ca.pem`.
/// Only `travio certs issue` reads it.
struct CaFiles {
  std::filesystem::path directory;

  std::filesystem::path key() const { return directory / "ca.key"; }
  std::filesystem::path certificate() const { return directory / "ca.pem"; }
};

/// Server credentials presenting the certificate of every service in `services` (chosen by
/// the client's SNI, which is the service name) and requiring a client certificate signed by
/// the CA. Fails with kFailedPrecondition naming a missing file and how to create it.
///
/// With one service and a positive `reload_every`, the files are read again at that interval
/// (gRPC's file-watcher certificate provider): a renewed certificate, key or CA is presented
/// and trusted from the next handshake on, without a restart. Several services are read once
/// (the provider holds one identity).
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MutualTlsServerCredentials(
    const TlsFiles& files, const std::vector<std::string>& services,
    absl::Duration reload_every = absl::ZeroDuration());

/// Client credentials: the CA to verify servers and `identity`'s certificate and key to
/// present; the peer must present the certificate of the name the channel expects (its SSL
/// target name). With a positive `reload_every`, the files are read again at that interval.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MutualTlsChannelCredentials(
    const TlsFiles& files, const std::string& identity,
    absl::Duration reload_every = absl::ZeroDuration());

/// Writes a new CA (ECDSA P-256) into `ca_directory` (mode 0700, its key 0600). Refuses to
/// replace an existing CA unless `overwrite`.
absl::Status WriteCertificateAuthority(const std::filesystem::path& ca_directory, bool overwrite);

/// Issues one certificate per service from the CA in `ca_directory` into `directory`, with the
/// CA's certificate beside them (ECDSA P-256; common name <service>; SANs DNS:<service>,
/// DNS:localhost, IP:127.0.0.1; usable as server and client; private keys 0600). Refuses to
/// replace a service's existing files unless `overwrite`.
absl::Status IssueServiceCertificates(const std::filesystem::path& ca_directory,
                                      const std::filesystem::path& directory,
                                      const std::vector<std::string>& services, bool overwrite);

/// A new CA in `ca_directory` and a certificate per service in `directory`. Refuses when
/// either holds certificates already unless `overwrite`.
absl::Status WriteDevelopmentCertificates(const std::filesystem::path& ca_directory,
                                          const std::filesystem::path& directory,
                                          const std::vector<std::string>& services, bool overwrite);

}  // namespace travio::rpc
