#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::audit {

absl::Status RegisterAuditModule(module::Registry& registry);

}  // namespace travio::audit
