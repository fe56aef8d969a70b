#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::queue {

absl::Status RegisterQueueModule(module::Registry& registry);

}  // namespace travio::queue
