#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <typeindex>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}

namespace travio::module {

/// The single place that decides how a service is reached: the local implementation when the
/// service runs in this process, a gRPC channel (mutual TLS) to its configured peer otherwise.
/// Service code asks for a client interface and never learns which it got.
class Clients {
 public:
  using ChannelProvider =
      std::function<absl::StatusOr<std::shared_ptr<grpc::Channel>>(const std::string& service)>;

  Clients(std::set<std::string> local_services, ChannelProvider channels, absl::Duration deadline)
      : local_(std::move(local_services)), channels_(std::move(channels)), deadline_(deadline) {}

  /// Called by a service's factory to offer its in-process implementation of `Interface`.
  template <typename Interface>
  void Export(const std::string& service, std::shared_ptr<Interface> local) {
    exports_[{service, std::type_index(typeid(Interface))}] = std::move(local);
  }

  /// A client of `service`. `make_remote` builds the gRPC implementation from a channel and the
  /// per-call deadline; it is used only when the service runs elsewhere.
  template <typename Interface>
  absl::StatusOr<std::shared_ptr<Interface>> Bind(
      const std::string& service,
      const std::function<std::shared_ptr<Interface>(std::shared_ptr<grpc::Channel>,
                                                     absl::Duration)>& make_remote) {
    if (local_.count(service)) {
      auto it = exports_.find({service, std::type_index(typeid(Interface))});
      if (it == exports_.end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("service ", service,
                         " runs in this process but has not exported its client yet "
                         "(declare it in the caller's `calls` so it is created first)"));
      }
      return std::static_pointer_cast<Interface>(it->second);
    }
    auto channel = channels_(service);
    if (!channel.ok()) return channel.status();
    return make_remote(*std::move(channel), deadline_);
  }

 private:
  std::set<std::string> local_;
  ChannelProvider channels_;
  absl::Duration deadline_;
  std::map<std::pair<std::string, std::type_index>, std::shared_ptr<void>> exports_;
};

}  // namespace travio::module
