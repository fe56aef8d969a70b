#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/outbox.h"
#include "services/inventory/app/booking_store.h"

namespace travio::inventory {

/// Inventory's schema: `inventory_bookings` and `inventory_seat_legs` (PRIMARY KEY (trip_id,
/// seat, leg): the database itself refuses a second sale of a seat on a leg), the trips on
/// offer (`inventory_trips`) and the memory hold store's journal (`inventory_hold_journal`).
std::vector<db::Migration> InventoryMigrations();

/// Events given to Book and Cancel are appended to `outbox` in their transaction; a store
/// without an outbox refuses events.
std::unique_ptr<BookingStore> MakeSqlBookingStore(db::Database& database,
                                                  events::Outbox* outbox = nullptr);

}  // namespace travio::inventory
