#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "platform/rpc/tls.h"

namespace grpc {
class Channel;
}

namespace travio::rpc {

/// Opens (and caches) one mutual-TLS channel per peer service. The channel verifies that the
/// peer's certificate names the service (SNI and host name both set to it), whatever address
/// it is reached at.
class Channels {
 public:
  /// `peers` maps service names to "host:port"; `identity` is the certificate this process
  /// presents.
  Channels(TlsFiles files, std::string identity, std::map<std::string, std::string> peers);

  absl::StatusOr<std::shared_ptr<grpc::Channel>> To(const std::string& service);

 private:
  TlsFiles files_;
  std::string identity_;
  std::map<std::string, std::string> peers_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> open_;
};

}  // namespace travio::rpc
