#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::gateway {

/// Registers the gateway: the public REST API under /v1 and its cross-cutting middleware.
absl::Status RegisterGatewayModule(module::Registry& registry);

}  // namespace travio::gateway
