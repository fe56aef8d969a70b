#pragma once

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Service;
class ServerCredentials;
}  // namespace grpc

namespace travio::rpc {

/// The process's gRPC server: every module's service on one port, behind mutual TLS.
class Server {
 public:
  /// Binds `address` and serves `services`, each call passing `interceptors` (in order). Fails with
  /// kFailedPrecondition naming the address when it cannot be bound (in use, bad host).
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const std::string& address, std::shared_ptr<grpc::ServerCredentials> credentials,
      const std::vector<grpc::Service*>& services,
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
          interceptors = {});
  virtual ~Server() = default;
  virtual int port() const = 0;
  /// Refuses new calls and lets calls in flight finish for up to `grace`.
  virtual void Shutdown(absl::Duration grace) = 0;
};

}  // namespace travio::rpc
