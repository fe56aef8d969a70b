#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/inventory/domain/offer.h"
#include "services/inventory/domain/seat_ledger.h"

namespace travio::inventory {

/// A confirmed sale (or an operator's block): seats of one trip for one journey, with the
/// prices frozen at hold time.
struct BookingRecord {
  std::string id;
  std::string trip_id;
  std::string org_id;
  std::string hold_id;  // the hold it came from; one booking per hold
  std::vector<std::string> seats;
  Journey journey;
  std::vector<SeatPrice> prices;
  absl::Time created_at;
  /// An operator's block: seats kept off sale, no prices.
  bool blocked = false;
};

}  // namespace travio::inventory
