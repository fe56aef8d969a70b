#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "platform/rpc/call_observer.h"
#include "platform/rpc/tls.h"

namespace grpc {
class Channel;
class ChannelCredentials;
}  // namespace grpc

namespace travio::rpc {

/// Opens (and caches) one mutual-TLS channel per calling module and peer service. The channel
/// verifies that the peer's certificate names the service (SNI and host name both set to it),
/// whatever address it is reached at, and presents the caller's own certificate.
class Channels {
 public:
  /// `peers` maps service names to "host:port"; the certificate files are read again every
  /// `reload_every` (zero: once). Calls are counted in `metrics` (none: not counted), which
  /// must outlive the channels.
  Channels(TlsFiles files, std::map<std::string, std::string> peers,
           absl::Duration reload_every = absl::ZeroDuration(), CallMetrics* metrics = nullptr);

  /// A channel to `service` on which `identity` (a module of this process) presents its
  /// certificate.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> To(const std::string& identity,
                                                    const std::string& service);

 private:
  TlsFiles files_;
  std::map<std::string, std::string> peers_;
  absl::Duration reload_every_;
  CallMetrics* metrics_;
  std::mutex mutex_;
  // By caller: one set of credentials (and one file watcher) for all its channels.
  std::map<std::string, std::shared_ptr<grpc::ChannelCredentials>> credentials_;
  // By caller and service.
  std::map<std::pair<std::string, std::string>, std::shared_ptr<grpc::Channel>> open_;
};

}  // namespace travio::rpc
