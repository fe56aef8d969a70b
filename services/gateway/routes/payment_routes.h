#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/payment/api/payment_client.h"

namespace travio::gateway {

/// What payment providers reach: their signed webhooks (POST /v1/payments/webhooks/{provider},
/// 400 bad_signature), and the sandbox provider's hosted payment page, where a traveller
/// approves or declines a redirect payment (GET and POST /v1/payments/sandbox/checkout/{id}).
absl::Status AddPaymentRoutes(SecureRoutes& routes,
                              std::shared_ptr<payment::PaymentClient> payments);

}  // namespace travio::gateway
