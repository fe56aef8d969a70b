#pragma once

// Status mapping between absl and gRPC; includes grpcpp, so only RPC adapters include it.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace travio::rpc {

/// The gRPC status for an absl status, with its reason and field errors in error_details.
grpc::Status ToGrpcStatus(const absl::Status& status);

/// The absl status for a gRPC status received by a client. Codes are kept (the canonical
/// codes are the same); the reason and field errors are restored. A transport failure arrives
/// as UNAVAILABLE and stays so.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace travio::rpc
