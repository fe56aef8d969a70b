#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::catalog {

/// Registers the catalog module: stations, routes, schedules, trips and fares, and trip crews.
absl::Status RegisterCatalogModule(module::Registry& registry);

}  // namespace travio::catalog
