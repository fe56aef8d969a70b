#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::notification {

/// Registers the notification module: email delivery (SMS later).
absl::Status RegisterNotificationModule(module::Registry& registry);

}  // namespace travio::notification
