#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/event.h"
#include "services/inventory/domain/booking.h"

namespace travio::inventory {

/// The durable record of sales: the last word on who owns a seat on a leg. Hot-state holds
/// are an efficiency lock in front of it; whatever they say, this store refuses to sell a
/// seat-leg twice (one row per trip, seat and leg under a primary key, on both engines).
class BookingStore {
 public:
  virtual ~BookingStore() = default;

  /// Writes the booking and one row per seat and leg, with `events` in the outbox, all or
  /// nothing. The same hold booked again returns the booking it already made (a retried
  /// confirmation; no event). kAlreadyExists `seats_unavailable` naming the seats already
  /// sold on a leg of the journey (nothing written).
  virtual absl::StatusOr<BookingRecord> Book(const BookingRecord& booking,
                                             const std::vector<events::Event>& events) = 0;

  /// Frees some seats of a booking (all when `seats` is empty) on its legs, with `events` in
  /// the outbox, and returns the booking as it was. kNotFound `booking_not_found`;
  /// kInvalidArgument `invalid_seats` for seats not in it.
  virtual absl::StatusOr<BookingRecord> Cancel(const std::string& trip_id,
                                               const std::string& booking_id,
                                               const std::vector<std::string>& seats,
                                               const std::vector<events::Event>& events) = 0;

  virtual absl::StatusOr<std::optional<BookingRecord>> Find(const std::string& trip_id,
                                                            const std::string& booking_id) = 0;

  /// The trip's bookings and blocks with their remaining seats (none when all were cancelled):
  /// what a hot-state store is loaded from.
  virtual absl::StatusOr<std::vector<BookingRecord>> Bookings(const std::string& trip_id) = 0;

  virtual absl::StatusOr<std::optional<BookingRecord>> FindByHold(const std::string& trip_id,
                                                                  const std::string& hold_id) = 0;

  /// Every (seat, leg) sold on the trip: what a hot-state store is rebuilt from.
  virtual absl::StatusOr<std::set<std::pair<std::string, int>>> SoldLegs(
      const std::string& trip_id) = 0;
};

}  // namespace travio::inventory
