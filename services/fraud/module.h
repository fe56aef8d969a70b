#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::fraud {

absl::Status RegisterFraudModule(module::Registry& registry);

}  // namespace travio::fraud
