#pragma once

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "platform/rpc/caller_policy.h"

namespace grpc {
class AuthMetadataProcessor;
}

namespace travio::rpc {

/// The policy as gRPC's server hook: each call is checked against the caller's certificate
/// before any handler sees it, and refused with PERMISSION_DENIED. The caller is the single
/// common name of its verified client certificate; a certificate with none, or several, is
/// refused. `on_refused` hears each refusal (to log and count it).
std::shared_ptr<grpc::AuthMetadataProcessor> CallerCheck(
    CallerPolicy policy, std::function<void(const absl::Status&)> on_refused);

}  // namespace travio::rpc
