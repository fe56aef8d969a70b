#include "platform/rpc/server.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"

namespace travio::rpc {
namespace {

class GrpcServer final : public Server {
 public:
  GrpcServer(std::unique_ptr<grpc::Server> server, int port)
      : server_(std::move(server)), port_(port) {}
  ~GrpcServer() override { Shutdown(absl::ZeroDuration()); }

  int port() const override { return port_; }
  void Shutdown(absl::Duration grace) override {
    if (!server_) return;
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::microseconds(absl::ToInt64Microseconds(grace)));
    server_->Wait();
    server_.reset();
  }

 private:
  std::unique_ptr<grpc::Server> server_;
  int port_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const std::string& address, std::shared_ptr<grpc::ServerCredentials> credentials,
    const std::vector<grpc::Service*>& services,
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors) {
  grpc::ServerBuilder builder;
  // gRPC binds with SO_REUSEPORT by default, so a second process on the same port would start
  // and take half of the first one's connections. One port, one process: a taken port fails.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A connection is authorised once, at its handshake: without an end, one made with a
  // certificate since expired, renewed away or issued by a replaced CA would stay authorised
  // for good. Callers reconnect on their own (their calls in flight get half a minute).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 15 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 30 * 1000);
  int port = 0;
  builder.AddListeningPort(address, std::move(credentials), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  if (!interceptors.empty()) builder.experimental().SetInterceptorCreators(std::move(interceptors));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot serve gRPC on ", address,
        ": the address is in use or invalid; choose another with --grpc-addr or grpc.addr"));
  }
  return std::make_unique<GrpcServer>(std::move(server), port);
}

}  // namespace travio::rpc
