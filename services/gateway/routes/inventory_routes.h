#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/routes/seat_feed.h"
#include "services/gateway/security/secure_routes.h"
#include "services/inventory/api/inventory_client.h"

namespace travio::gateway {

/// The "Seats and holds" routes of api.md (seat maps and their event stream, holds), plus
/// operator seat blocks.
absl::Status AddInventoryRoutes(SecureRoutes& routes,
                                std::shared_ptr<inventory::InventoryClient> inventory,
                                std::shared_ptr<SeatFeed> feed);

}  // namespace travio::gateway
