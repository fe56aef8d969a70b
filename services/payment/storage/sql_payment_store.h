#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/payment/app/payment_store.h"

namespace travio::payment {

/// The payment service's schema: Travio's `payments` and `payment_refunds`, and the sandbox
/// provider's own books (`sandbox_charges`, `sandbox_refunds`).
std::vector<db::Migration> PaymentMigrations();

std::unique_ptr<PaymentStore> MakeSqlPaymentStore(db::Database& database, events::Outbox& outbox);

}  // namespace travio::payment
