#pragma once

#include <memory>

#include "platform/events/bus.h"
#include "services/fulfillment/app/fulfillment_service.h"

namespace travio::fulfillment {

/// Subscribes the service to the events that change tickets: order.confirmed.v1 (issue),
/// order.cancelled.v1 (void the cancelled seats' tickets, re-issue the PDF) and trip.delayed.v1
/// (re-issue the PDFs with the new time). `wake` starts the worker at once.
void FollowOrders(events::Bus& bus, std::shared_ptr<FulfillmentService> service,
                  std::function<void()> wake);

}  // namespace travio::fulfillment
