#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/catalog/api/catalog_client.h"
#include "services/gateway/security/secure_routes.h"

namespace travio::gateway {

/// The "Catalog: stations, routes, schedules, trips" routes of api.md, plus the trip lifecycle
/// steps (board, depart, complete) and moving a trip to another bus.
absl::Status AddCatalogRoutes(SecureRoutes& routes,
                              std::shared_ptr<catalog::CatalogClient> catalog);

}  // namespace travio::gateway
