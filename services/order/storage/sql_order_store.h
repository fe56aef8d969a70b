#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/order/app/order_store.h"

namespace travio::order {

/// The order service's schema: `orders` (one per hold: a unique hold_id), `order_items`,
/// `order_sagas` (at most one running per order: a partial unique index), `order_saga_log`,
/// `order_quotes`, `order_refund_policies` (see sql_refund_policies.h).
std::vector<db::Migration> OrderMigrations();

std::unique_ptr<OrderStore> MakeSqlOrderStore(db::Database& database, events::Outbox& outbox);

}  // namespace travio::order
