#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::identity {

/// Registers the identity module: accounts, organizations and access control.
absl::Status RegisterIdentityModule(module::Registry& registry);

}  // namespace travio::identity
