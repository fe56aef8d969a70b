#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::fulfillment {

absl::Status RegisterFulfillmentModule(module::Registry& registry);

}  // namespace travio::fulfillment
