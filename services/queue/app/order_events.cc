#include "services/queue/app/order_events.h"

#include "platform/events/contract.h"
#include "services/order/api/order_events.h"

namespace travio::queue {

void FollowOrders(events::Bus& bus, std::shared_ptr<QueueService> service,
                  const log::Logger& logger) {
  events::Subscribe<order::OrderCreated>(
      bus, "queue", order::kOrderCreated, logger,
      [service](const events::Event&, const order::OrderCreated& order) {
        return service->OnOrderPlaced(order.buyer, order.trip_id);
      });
}

}  // namespace travio::queue
