#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio {

/// The one list of modules the binary knows: the gateway and the sixteen services.
absl::Status RegisterAllModules(module::Registry& registry);

}  // namespace travio
