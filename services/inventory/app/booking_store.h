#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/inventory/domain/offer.h"

namespace travio::inventory {

/// A confirmed sale: seats of one trip for one journey, with the prices frozen at hold time.
struct BookingRecord {
  std::string id;
  std::string trip_id;
  std::string org_id;
  std::string hold_id;  // the hold it came from; one booking per hold
  std::vector<std::string> seats;
  Journey journey;
  std::vector<SeatPrice> prices;
  absl::Time created_at;
};

/// The durable record of sales: the last word on who owns a seat on a leg. Hot-state holds
/// are an efficiency lock in front of it; whatever they say, this store refuses to sell a
/// seat-leg twice (one row per trip, seat and leg under a primary key, on both engines).
class BookingStore {
 public:
  virtual ~BookingStore() = default;

  /// Writes the booking and one row per seat and leg, all or nothing. The same hold booked
  /// again returns the booking it already made (a retried confirmation). kAlreadyExists
  /// `seats_unavailable` naming the seats already sold on a leg of the journey (nothing
  /// written).
  virtual absl::StatusOr<BookingRecord> Book(const BookingRecord& booking) = 0;

  /// Frees some seats of a booking (all when `seats` is empty) on its legs. kNotFound
  /// `booking_not_found`; kInvalidArgument `invalid_seats` for seats not in it.
  virtual absl::Status Cancel(const std::string& trip_id, const std::string& booking_id,
                              const std::vector<std::string>& seats) = 0;

  virtual absl::StatusOr<std::optional<BookingRecord>> FindByHold(const std::string& trip_id,
                                                                  const std::string& hold_id) = 0;

  /// Every (seat, leg) sold on the trip: what a hot-state store is rebuilt from.
  virtual absl::StatusOr<std::set<std::pair<std::string, int>>> SoldLegs(
      const std::string& trip_id) = 0;
};

}  // namespace travio::inventory
