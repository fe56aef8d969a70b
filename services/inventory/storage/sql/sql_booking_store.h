#pragma once

#include <memory>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/inventory/app/booking_store.h"

namespace travio::inventory {

/// Inventory's schema: `inventory_bookings` and `inventory_seat_legs` (PRIMARY KEY (trip_id,
/// seat, leg): the database itself refuses a second sale of a seat on a leg).
std::vector<db::Migration> InventoryMigrations();

std::unique_ptr<BookingStore> MakeSqlBookingStore(db::Database& database);

}  // namespace travio::inventory
