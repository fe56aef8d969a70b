#include "services/fulfillment/app/order_events.h"

#include "platform/events/contract.h"
#include "services/catalog/api/catalog_events.h"
#include "services/order/api/order_events.h"

namespace travio::fulfillment {

void FollowOrders(events::Bus& bus, std::shared_ptr<FulfillmentService> service,
                  std::function<void()> wake) {
  events::Subscribe<order::OrderConfirmed>(
      bus, "fulfillment", order::kOrderConfirmed, service->logger(),
      [service, wake](const events::Event& event, const order::OrderConfirmed& confirmed) {
        absl::Status recorded = service->OnOrderConfirmed(event, confirmed.order_id);
        if (recorded.ok()) wake();
        return recorded;
      });
  events::Subscribe<order::OrderCancelled>(
      bus, "fulfillment", order::kOrderCancelled, service->logger(),
      [service, wake](const events::Event& event, const order::OrderCancelled& cancelled) {
        absl::Status recorded =
            service->OnOrderCancelled(event, cancelled.order_id, cancelled.refund, cancelled.tier);
        if (recorded.ok()) wake();
        return recorded;
      });
  events::Subscribe<order::OrderRiskChanged>(
      bus, "fulfillment", order::kOrderReviewed, service->logger(),
      [service](const events::Event& event, const order::OrderRiskChanged& reviewed) {
        return service->OnOrderReviewed(event, reviewed.order_id, reviewed.verdict);
      });
  events::Subscribe<catalog::PublishedTrip>(
      bus, "fulfillment", catalog::kTripDelayed, service->logger(),
      [service, wake](const events::Event& event, const catalog::PublishedTrip& trip) {
        // The envelope and the payload name the same operator, or the event is not believed.
        if (event.org_id != trip.org_id) {
          service->logger().Error("a trip event whose envelope and payload disagree was dropped",
                                  {{"event_id", event.id}, {"trip_id", trip.id}});
          return absl::OkStatus();
        }
        absl::Status recorded =
            service->OnTripDelayed(event, trip.org_id, trip.id, trip.delay_minutes);
        if (recorded.ok()) wake();
        return recorded;
      });
}

}  // namespace travio::fulfillment
