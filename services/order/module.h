#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::order {

/// Registers the order module: orders, the booking saga, cancellations and refunds.
absl::Status RegisterOrderModule(module::Registry& registry);

}  // namespace travio::order
