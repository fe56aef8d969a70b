#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::pricing {

absl::Status RegisterPricingModule(module::Registry& registry);

}  // namespace travio::pricing
