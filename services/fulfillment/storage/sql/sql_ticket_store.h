#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

/// Fulfillment's tables: jobs and tickets (the inbox and outbox are the platform's).
std::vector<db::Migration> FulfillmentMigrations();

/// The TicketStore on SQLite or PostgreSQL; `inbox` and `outbox` are in the same database.
std::unique_ptr<TicketStore> MakeSqlTicketStore(db::Database& database, events::Inbox& inbox,
                                                events::Outbox& outbox);

}  // namespace travio::fulfillment
