#pragma once

#include <memory>

#include "platform/db/database.h"
#include "services/order/app/ports.h"

namespace travio::order {

/// Operators' refund policies in `order_refund_policies` (OrderMigrations() version 3): one row
/// per operator that set its own, the tiers as JSON `[{"notice_minutes":..,"percent":..}]`.
/// Operators without a row are on DefaultRefundPolicy().
std::unique_ptr<RefundPolicies> MakeSqlRefundPolicies(db::Database& database);

}  // namespace travio::order
