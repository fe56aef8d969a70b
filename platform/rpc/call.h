#pragma once

// Helpers for gRPC client adapters; includes grpcpp, so only api/grpc_*_client.cc include it.

#include <grpcpp/client_context.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/rpc/status.h"

namespace travio::rpc {

/// Prepares a client call: every call carries a deadline.
inline void PrepareCall(grpc::ClientContext& context, absl::Duration deadline) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(deadline)));
}

/// One unary call on `stub` with `deadline`; a failure keeps its code, reason, field errors
/// and retry-after (FromGrpcStatus).
template <typename Stub, typename Request, typename Reply>
absl::Status CallUnary(Stub& stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                       const Request& request, Reply& reply, absl::Duration deadline) {
  grpc::ClientContext context;
  PrepareCall(context, deadline);
  return FromGrpcStatus((stub.*method)(&context, request, &reply));
}

}  // namespace travio::rpc
