#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/order/api/order_client.h"
#include "services/payment/api/payment_client.h"

namespace travio::gateway {

/// An operator's sales desk: its orders searched (GET /v1/operator/orders), cancellations on a
/// traveller's behalf (quote, then cancel, on the refund policy's terms) and cash taken at the
/// counter for a counter sale (POST .../cash-payment, with an Idempotency-Key), and cash a
/// refund owes at the counter handed over (POST /v1/operator/refunds/{id}/paid-out). Each acts only
/// on the caller's organization's orders; another's answers 404 as one that does not exist.
absl::Status AddSalesRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders,
                            std::shared_ptr<payment::PaymentClient> payments);

}  // namespace travio::gateway
