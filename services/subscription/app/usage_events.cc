#include "services/subscription/app/usage_events.h"

#include "platform/events/contract.h"
#include "services/catalog/api/catalog_events.h"
#include "services/identity/api/identity_events.h"
#include "services/operator/api/operator_events.h"
#include "services/order/api/order_events.h"

namespace travio::subscription {
namespace {

constexpr char kConsumer[] = "subscription";

// Follows `contract`, whose payload names the resource `key_of` gives, as `quota` coming to
// exist (`added`) or going.
template <typename Payload, typename KeyOf>
void Meter(events::Bus& bus, const std::shared_ptr<SubscriptionService>& service,
           const events::Contract<Payload>& contract, Quota quota, bool added, KeyOf key_of) {
  events::Subscribe<Payload>(
      bus, kConsumer, contract, service->logger(),
      [service, quota, added, key_of](const events::Event& event, const Payload& payload) {
        const std::string key = key_of(payload);
        return added ? service->OnResourceAdded(event, quota, key)
                     : service->OnResourceRemoved(event, quota, key);
      });
}

}  // namespace

void FollowEvents(events::Bus& bus, std::shared_ptr<SubscriptionService> service) {
  events::Subscribe<identity::OrgCreated>(
      bus, kConsumer, identity::kOrgCreated, service->logger(),
      [service](const events::Event& event, const identity::OrgCreated&) {
        return service->OnOrganizationCreated(event);
      });
  auto bus_id = [](const fleet::BusSummary& bus) { return bus.bus_id; };
  Meter(bus, service, fleet::kBusRegistered, Quota::kBuses, true, bus_id);
  Meter(bus, service, fleet::kBusRemoved, Quota::kBuses, false, bus_id);
  Meter(bus, service, fleet::kStaffAdded, Quota::kStaff, true,
        [](const fleet::StaffAdded& staff) { return staff.staff_id; });
  Meter(bus, service, catalog::kRouteCreated, Quota::kRoutes, true,
        [](const catalog::Route& route) { return route.id; });
  Meter(bus, service, catalog::kTripPublished, Quota::kTripsPerMonth, true,
        [](const catalog::PublishedTrip& trip) { return trip.id; });
  Meter(bus, service, order::kOrderCreated, Quota::kBookingsPerMonth, true,
        [](const order::OrderCreated& order) { return order.order_id; });
  Meter(bus, service, order::kOrderExpired, Quota::kBookingsPerMonth, false,
        [](const order::OrderExpired& order) { return order.order_id; });
  // A confirmed booking is billed its plan's fee.
  events::Subscribe<order::OrderConfirmed>(
      bus, kConsumer, order::kOrderConfirmed, service->logger(),
      [service](const events::Event& event, const order::OrderConfirmed& confirmed) {
        // The envelope and the payload name the same order, or the event is not believed.
        if (event.aggregate_id != confirmed.order_id) {
          service->logger().Error("an order event whose envelope and payload disagree was dropped",
                                  {{"event_id", event.id}, {"order_id", confirmed.order_id}});
          return absl::OkStatus();
        }
        return service->OnBookingConfirmed(event, confirmed.order_id);
      });
}

}  // namespace travio::subscription
