#pragma once

#include <memory>

#include "services/catalog/api/catalog_client.h"
#include "services/queue/app/ports.h"

namespace travio::queue {

/// TripOwners asked of the catalog (its GetTrip is scoped to the organization).
std::unique_ptr<TripOwners> MakeCatalogTripOwners(std::shared_ptr<catalog::CatalogClient> catalog);

}  // namespace travio::queue
