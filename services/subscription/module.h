#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::subscription {

/// Registers the subscription module. Today: the quota seam (one default plan for every
/// organization, limits from config); plans, invoices and per-org limits are its own issue.
absl::Status RegisterSubscriptionModule(module::Registry& registry);

}  // namespace travio::subscription
