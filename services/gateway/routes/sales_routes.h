#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/order/api/order_client.h"

namespace travio::gateway {

/// An operator's sales desk: its orders searched (GET /v1/operator/orders), cancellations on a
/// traveller's behalf (quote, then cancel, on the refund policy's terms) and cash taken at the
/// counter for a pending order (POST .../cash-payment, with an Idempotency-Key). Each acts only
/// on the caller's organization's orders; another's answers 404 as one that does not exist.
absl::Status AddSalesRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders);

}  // namespace travio::gateway
