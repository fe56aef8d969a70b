#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"
#include "services/order/api/order_client.h"

namespace travio::gateway {

/// The "Tickets and boarding" routes of api.md: a ticket, the PDFs of a ticket and of an order
/// (to the buyer or the operator's staff, or to anyone holding a signed link), conductors'
/// scans, the boarding pack and the offline sync.
absl::Status AddTicketRoutes(SecureRoutes& routes,
                             std::shared_ptr<fulfillment::FulfillmentClient> tickets,
                             std::shared_ptr<order::OrderClient> orders,
                             std::shared_ptr<identity::IdentityClient> identity);

/// The order's `fulfillment`, `tickets` and `pdf_url` members (api.md), and each item's
/// `ticket_id`, added to its JSON. The PDF links (they open the boarding codes) only
/// `with_links`: for the buyer and sales staff.
void AddTicketsToOrderJson(const fulfillment::OrderTickets& tickets, bool with_links,
                           nlohmann::json& order);

}  // namespace travio::gateway
