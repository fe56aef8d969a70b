#pragma once

#include <memory>

#include "platform/db/database.h"
#include "platform/events/outbox.h"
#include "services/inventory/app/ports.h"

namespace travio::inventory {

/// Trips on offer in `inventory_trips` (see InventoryMigrations).
std::unique_ptr<TripStore> MakeSqlTripStore(db::Database& database);

/// Appends each event to `outbox` in a transaction of its own.
std::unique_ptr<EventSink> MakeOutboxEventSink(db::Database& database, events::Outbox& outbox);

}  // namespace travio::inventory
