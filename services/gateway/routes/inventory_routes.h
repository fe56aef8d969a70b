#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/routes/seat_feed.h"
#include "services/gateway/security/queue_guard.h"
#include "services/gateway/security/secure_routes.h"
#include "services/inventory/api/inventory_client.h"

namespace travio::gateway {

/// The "Seats and holds" routes of api.md (seat maps and their event stream, holds), plus
/// operator seat blocks. `traffic` caps the seats one address or traveller may hold on a trip
/// (null: no caps); `guard` asks holds on trips behind a waiting room for a queue token (null:
/// no rooms).
absl::Status AddInventoryRoutes(SecureRoutes& routes,
                                std::shared_ptr<inventory::InventoryClient> inventory,
                                std::shared_ptr<SeatFeed> feed,
                                std::shared_ptr<TrafficControl> traffic,
                                std::shared_ptr<QueueGuard> guard);

}  // namespace travio::gateway
