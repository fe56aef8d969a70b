#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::reporting {

/// Registers the reporting module: revenue, occupancy and bookings of each organization, built
/// from the catalog's trip events and the order service's sales.
absl::Status RegisterReportingModule(module::Registry& registry);

}  // namespace travio::reporting
