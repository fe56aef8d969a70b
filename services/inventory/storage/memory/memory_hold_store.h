#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/db/database.h"
#include "services/inventory/app/hold_store.h"

namespace travio::inventory {

/// The monolith's hold store: one SeatLedger per trip, in shards locked independently, so
/// trips never wait for each other. Every hold is journaled to `journal`
/// (`inventory_hold_journal` in inventory's embedded database) when it is made and erased when
/// it ends, so a restarted monolith takes its live holds back (each trip's, when the trip is
/// next loaded); bookings come back from the BookingStore. A null `journal` keeps nothing
/// (tests of the ledger's rules alone). Expiry is judged by `clock`.
absl::StatusOr<std::unique_ptr<HoldStore>> OpenMemoryHoldStore(const Clock& clock,
                                                               db::Database* journal,
                                                               int shards = 64);

}  // namespace travio::inventory
