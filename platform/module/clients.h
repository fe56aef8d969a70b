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
#include "platform/rpc/call_policy.h"

namespace grpc {
class Channel;
}

namespace travio::module {

/// How another process's service is reached over gRPC: its client interface on a channel.
/// A service's module spec carries its own (RemoteClientOf), so only the binary that registers
/// the services links their gRPC clients and protobuf code; a caller names the interface alone.
/// Made only by RemoteClientOf, so its service, interface and factory always agree.
class RemoteClient {
 public:
  RemoteClient() = default;
  /// The service it reaches ("" for none).
  const std::string& service() const { return service_; }
  bool empty() const { return !make_; }

 private:
  template <typename Interface>
  friend RemoteClient RemoteClientOf();
  friend class Clients;
  using Factory =
      std::function<std::shared_ptr<void>(std::shared_ptr<grpc::Channel>, const rpc::CallPolicy&)>;
  RemoteClient(std::string service, std::type_index interface, Factory make)
      : service_(std::move(service)), interface_(interface), make_(std::move(make)) {}

  std::string service_;
  std::type_index interface_ = typeid(void);
  Factory make_;
};

/// The remote client of a service whose interface declares
///
///   class OrderClient {
///    public:
///     static constexpr std::string_view kService = "order";
///     static std::shared_ptr<OrderClient> OverGrpc(std::shared_ptr<grpc::Channel>,
///                                                  const rpc::CallPolicy& policy);
///     ...
template <typename Interface>
RemoteClient RemoteClientOf() {
  return RemoteClient(std::string(Interface::kService), typeid(Interface),
                      [](std::shared_ptr<grpc::Channel> channel,
                         const rpc::CallPolicy& policy) -> std::shared_ptr<void> {
                        return Interface::OverGrpc(std::move(channel), policy);
                      });
}

/// The single place that decides how a service is reached: the local implementation when the
/// service runs in this process, its remote client over a gRPC channel (mutual TLS) to its
/// configured peer otherwise. Service code asks for a client interface and never learns which
/// it got: `context.clients().Bind<OrderClient>()`.
///
/// Each module calls as itself: its calls to other processes present its own certificate, so
/// a callee's CallerPolicy sees the module that calls, whichever modules share its process.
class Clients {
 public:
  /// A channel to `service` on which `caller` presents its certificate.
  using ChannelProvider = std::function<absl::StatusOr<std::shared_ptr<grpc::Channel>>(
      const std::string& caller, const std::string& service)>;

  /// How calls to a service go: its deadline, circuit breaker and read retries.
  using PolicyProvider = std::function<rpc::CallPolicy(const std::string& service)>;

  /// `remote` holds, per service, how to reach it from another process; `caller` is the
  /// module whose calls these are.
  Clients(std::string caller, std::set<std::string> local_services,
          std::map<std::string, RemoteClient> remote, ChannelProvider channels,
          PolicyProvider policies)
      : caller_(std::move(caller)),
        local_(std::move(local_services)),
        remote_(std::move(remote)),
        channels_(std::move(channels)),
        policies_(std::move(policies)) {}

  /// The same clients for another module of the process: the exports are shared, the calls
  /// to other processes are `caller`'s.
  Clients As(std::string caller) const {
    Clients clients = *this;
    clients.caller_ = std::move(caller);
    return clients;
  }

  /// Called by a service's factory to offer its in-process implementation of `Interface`.
  template <typename Interface>
  void Export(std::shared_ptr<Interface> local) {
    (*exports_)[{std::string(Interface::kService), std::type_index(typeid(Interface))}] =
        std::move(local);
  }

  /// A client of `Interface`'s service: the local implementation when the service runs in
  /// this process, else its remote client on a channel to its configured peer.
  template <typename Interface>
  absl::StatusOr<std::shared_ptr<Interface>> Bind() {
    const std::string service(Interface::kService);
    if (local_.count(service)) {
      auto it = exports_->find({service, std::type_index(typeid(Interface))});
      if (it == exports_->end()) {
        return absl::FailedPreconditionError(
            absl::StrCat("service ", service,
                         " runs in this process but has not exported its client yet "
                         "(declare it in the caller's `calls` so it is created first)"));
      }
      return std::static_pointer_cast<Interface>(it->second);
    }
    auto remote = remote_.find(service);
    if (remote == remote_.end() || remote->second.interface_ != typeid(Interface)) {
      return absl::FailedPreconditionError(
          absl::StrCat("service ", service,
                       " has no remote client of this interface "
                       "(its module spec names one with RemoteClientOf)"));
    }
    auto channel = channels_(caller_, service);
    if (!channel.ok()) return channel.status();
    return std::static_pointer_cast<Interface>(
        remote->second.make_(*std::move(channel), policies_(service)));
  }

 private:
  using Exports = std::map<std::pair<std::string, std::type_index>, std::shared_ptr<void>>;
  std::string caller_;
  std::set<std::string> local_;
  std::map<std::string, RemoteClient> remote_;
  ChannelProvider channels_;
  PolicyProvider policies_;
  std::shared_ptr<Exports> exports_ = std::make_shared<Exports>();
};

}  // namespace travio::module
