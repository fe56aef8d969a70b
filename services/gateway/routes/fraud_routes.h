#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/fraud/api/fraud_client.h"
#include "services/gateway/security/secure_routes.h"
#include "services/order/api/order_client.h"

namespace travio::gateway {

/// api.md's "Back office" for fraud: the orders fraud held for review (managers approve or
/// reject them; the order service's saga then captures or releases), and the organization's
/// thresholds and weights (owners and admins).
absl::Status AddFraudRoutes(SecureRoutes& routes, std::shared_ptr<order::OrderClient> orders,
                            std::shared_ptr<fraud::FraudClient> fraud);

}  // namespace travio::gateway
