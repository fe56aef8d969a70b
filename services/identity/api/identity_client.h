#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}

namespace travio::identity {

/// Describes the process that served a call.
struct ServerInfo {
  std::string service;
  std::string version;
  std::string commit;
  std::string instance_id;
};

/// What other services may ask of identity. Implemented in-process by the identity module and
/// over gRPC by GrpcIdentityClient; both return the same codes.
class IdentityClient {
 public:
  virtual ~IdentityClient() = default;
  /// Errors: kUnavailable / kDeadlineExceeded when identity cannot be reached.
  virtual absl::StatusOr<ServerInfo> GetServerInfo() = 0;
};

/// The gRPC implementation, for processes where identity runs elsewhere.
std::shared_ptr<IdentityClient> MakeGrpcIdentityClient(std::shared_ptr<grpc::Channel> channel,
                                                       absl::Duration deadline);

}  // namespace travio::identity
