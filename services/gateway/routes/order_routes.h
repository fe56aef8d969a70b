#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "services/gateway/security/secure_routes.h"
#include "services/identity/api/identity_client.h"
#include "services/order/api/order_client.h"

namespace travio::gateway {

/// The "Orders and payments" routes of api.md (orders, card payments, cancellation quotes and
/// cancellations; POST /v1/orders and /v1/payments take an Idempotency-Key), plus an operator's
/// trip manifest and its refund policy (GET/PUT /v1/operator/refund-policy).
/// GET /v1/orders/{id} adds the order's tickets from fulfillment.
absl::Status AddOrderRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders,
                            std::shared_ptr<identity::IdentityClient> identity,
                            std::shared_ptr<fulfillment::FulfillmentClient> tickets);

}  // namespace travio::gateway
