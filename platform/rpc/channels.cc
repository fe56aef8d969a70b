#include "platform/rpc/channels.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace travio::rpc {

Channels::Channels(TlsFiles files, std::map<std::string, std::string> peers,
                   absl::Duration reload_every, CallMetrics* metrics)
    : files_(std::move(files)),
      peers_(std::move(peers)),
      reload_every_(reload_every),
      metrics_(metrics) {}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Channels::To(const std::string& identity,
                                                            const std::string& service) {
  std::lock_guard lock(mutex_);
  if (auto it = open_.find({identity, service}); it != open_.end()) return it->second;
  auto peer = peers_.find(service);
  if (peer == peers_.end() || peer->second.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("service ", service, " does not run in this process and peers.", service,
                     " is not set; set it to the host:port of a process serving ", service));
  }
  std::shared_ptr<grpc::ChannelCredentials>& credentials = credentials_[identity];
  if (!credentials) {
    auto made = MutualTlsChannelCredentials(files_, identity, reload_every_);
    if (!made.ok()) {
      credentials_.erase(identity);
      return made.status();
    }
    credentials = *std::move(made);
  }
  grpc::ChannelArguments arguments;
  arguments.SetSslTargetNameOverride(service);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  // A restarted peer is back within seconds: gRPC's default reconnect backoff grows to two
  // minutes, during which every call would fail UNAVAILABLE although the peer is up. (Not
  // GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC takes it as the time a connection attempt may
  // take, and at 200 ms a TLS handshake on a loaded machine gave up, failing calls at once.)
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2'000);
  // Some replies are documents (a GTFS feed of a large network): 4 MiB, gRPC's default, is
  // too little for them.
  arguments.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> observers;
  if (metrics_ != nullptr) observers.push_back(ClientCallObserver(*metrics_, service));
  auto channel = grpc::experimental::CreateCustomChannelWithInterceptors(
      peer->second, credentials, arguments, std::move(observers));
  open_[{identity, service}] = channel;
  return channel;
}

}  // namespace travio::rpc
