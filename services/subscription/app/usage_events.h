#pragma once

#include <memory>

#include "platform/events/bus.h"
#include "services/subscription/app/subscription_service.h"

namespace travio::subscription {

/// Subscribes the service to what its usage is metered from: organizations created (their
/// subscription starts), buses registered and removed, staff added, routes created, trips
/// published, orders created (a booking) and expired unpaid (not one after all).
void FollowEvents(events::Bus& bus, std::shared_ptr<SubscriptionService> service);

}  // namespace travio::subscription
