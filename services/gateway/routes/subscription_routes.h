#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::gateway {

/// api.md's "Back office" for subscriptions: the plans on sale (public), and the organization's
/// subscription, its usage against its plan's limits, and plan changes (its owner).
absl::Status AddSubscriptionRoutes(SecureRoutes& routes,
                                   std::shared_ptr<subscription::SubscriptionClient> subscriptions);

}  // namespace travio::gateway
