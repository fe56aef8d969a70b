#pragma once

#include <memory>

#include "platform/events/bus.h"
#include "platform/log/logger.h"
#include "services/queue/app/queue_service.h"

namespace travio::queue {

/// Subscribes the queue (consumer `queue`) to `order.created.v1`: an order placed ends its
/// buyer's waiting-room session for the trip, so the next caller gets the capacity.
void FollowOrders(events::Bus& bus, std::shared_ptr<QueueService> service,
                  const log::Logger& logger);

}  // namespace travio::queue
