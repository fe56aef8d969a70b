#pragma once

#include <memory>

#include "absl/status/status.h"
#include "services/gateway/security/secure_routes.h"
#include "services/inventory/api/inventory_client.h"
#include "services/pricing/api/pricing_client.h"

namespace travio::gateway {

/// api.md's "Pricing rules": an organization's rules (managers), the rule editor's trial runs,
/// and the public quote of a journey's seats (inventory prices them under the rules).
absl::Status AddPricingRoutes(SecureRoutes& routes, std::shared_ptr<pricing::PricingClient> pricing,
                              std::shared_ptr<inventory::InventoryClient> inventory);

}  // namespace travio::gateway
