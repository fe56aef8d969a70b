#pragma once

// For gRPC services (services/<svc>/rpc/): answering a call from a use case's result. The
// reply is filled by the service's `ToProto(value, reply)` (found by argument-dependent lookup
// in the value's namespace, api/proto_conversions.h); a failure keeps its code, reason, field
// errors and retry-after (ToGrpcStatus).

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/rpc/status.h"

namespace travio::rpc {

template <typename T, typename Reply>
grpc::Status Answer(const absl::StatusOr<T>& result, Reply* reply) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  if constexpr (requires { ToProto(*result, *reply); }) {
    ToProto(*result, *reply);
  } else {
    *reply = ToProto(*result);  // identity's conversions return the message
  }
  return grpc::Status::OK;
}

/// A call whose use case returns no value.
inline grpc::Status Answer(const absl::Status& status) { return ToGrpcStatus(status); }

/// A repeated string field as a vector.
template <typename Repeated>
std::vector<std::string> Strings(const Repeated& values) {
  return {values.begin(), values.end()};
}

}  // namespace travio::rpc
