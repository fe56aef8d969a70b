#pragma once

// Helpers for gRPC client adapters; includes grpcpp, so only api/grpc_*_client.cc include it.

#include <grpcpp/client_context.h>

#include <chrono>

#include "absl/time/time.h"

namespace travio::rpc {

/// Prepares a client call: every call carries a deadline.
inline void PrepareCall(grpc::ClientContext& context, absl::Duration deadline) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(deadline)));
}

}  // namespace travio::rpc
