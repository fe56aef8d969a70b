#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::fleet {

/// Registers the operator module: buses with seat layouts, and staff.
absl::Status RegisterOperatorModule(module::Registry& registry);

}  // namespace travio::fleet
