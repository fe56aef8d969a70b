#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::inventory {

/// Registers the inventory module: seats per trip leg, holds, bookings and operator blocks.
absl::Status RegisterInventoryModule(module::Registry& registry);

}  // namespace travio::inventory
