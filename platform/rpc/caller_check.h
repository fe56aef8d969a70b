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
/// before any handler sees it, and refused with PERMISSION_DENIED. The caller is the common name
/// of its verified client certificate (gRPC reports a certificate's first; one without is
/// refused). Only the CA issues certificates, one name each (`travio certs issue`).
/// `on_refused` hears each refusal (to log and count it).
std::shared_ptr<grpc::AuthMetadataProcessor> CallerCheck(
    CallerPolicy policy, std::function<void(const absl::Status&)> on_refused);

}  // namespace travio::rpc
