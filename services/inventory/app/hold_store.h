#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/inventory/app/booking_store.h"
#include "services/inventory/domain/offer.h"
#include "services/inventory/domain/seat_ledger.h"

namespace travio::inventory {

/// A hold as the hot-state store keeps it: the ledger's hold, its trip and its frozen prices.
struct HoldRecord {
  std::string trip_id;
  std::string org_id;
  Hold hold;
  std::vector<SeatPrice> prices;
};

/// Per-holder caps (inventory.max_seats_per_hold, inventory.max_holds_per_holder).
struct HoldLimits {
  int max_seats = 6;
  int max_holds = 3;
};

/// Hot state of the seats: who holds or booked each seat on each leg, checked and changed
/// atomically per trip. An efficiency lock in front of the BookingStore, which has the last
/// word: losing this state (a Redis flush) may lose holds, never sell a seat-leg twice.
///
/// Every call naming a trip the store does not hold (never loaded here, or lost with Redis)
/// fails with kFailedPrecondition `trip_not_loaded`: the caller loads it with LoadTrip from the
/// durable stores and tries again. Expiry is judged by the store's own clock (the injected
/// clock in memory, the server's clock on Redis): a hold is live while now < expires_at.
class HoldStore {
 public:
  virtual ~HoldStore() = default;

  /// Makes the trip known with the bookings and blocks already made (their remaining seats);
  /// a no-op for a trip already loaded, so a replay never resets sold seats.
  virtual absl::Status LoadTrip(const TripSeats& seats,
                                const std::vector<BookingRecord>& bookings) = 0;
  /// Forgets the trip and every hold on it (a cancelled trip; a bus change).
  virtual absl::Status DropTrip(const std::string& trip_id) = 0;

  /// Holds `request.hold.seats` for `request.hold.journey` for `ttl`, all or nothing; the
  /// store sets `expires_at` and version 1. The caller has checked the labels against the
  /// trip. kAlreadyExists `seats_unavailable` naming every seat held, booked or blocked on a
  /// leg of the journey (field errors `seats[i]`, problem member `unavailable`);
  /// kResourceExhausted `hold_limit` when the holder already has `limits.max_holds` live holds.
  virtual absl::StatusOr<HoldRecord> Hold(const HoldRecord& request, absl::Duration ttl,
                                          const HoldLimits& limits) = 0;
  /// The hold, live or expired but not yet swept; nullopt once released, confirmed or swept.
  virtual absl::StatusOr<std::optional<HoldRecord>> FindHold(const std::string& hold_id) = 0;
  /// Frees a live hold. kNotFound `hold_not_found`.
  virtual absl::Status Release(const std::string& trip_id, const std::string& hold_id) = 0;
  /// Turns a live hold into the booking `booking_id` (or an operator's block). kNotFound
  /// `hold_not_found`; kFailedPrecondition `hold_expired`; kAborted `hold_version_mismatch`.
  virtual absl::Status Confirm(const std::string& trip_id, const std::string& hold_id,
                               int64_t version, const std::string& booking_id, bool blocked) = 0;
  /// Makes the hot state show a booking the BookingStore has committed: its seats on its legs
  /// over holds, never over another booking or block. A no-op when it does already, as it does
  /// unless the trip was reloaded between Confirm and the commit: a load then read the database
  /// without the booking (a Redis flush racing the sale). True when it changed the hot state.
  /// kFailedPrecondition `trip_not_loaded` when the store does not hold the trip.
  virtual absl::StatusOr<bool> EnsureBooked(const BookingRecord& booking) = 0;
  /// Frees some seats of a booking or block on its journey.
  virtual absl::Status Free(const std::string& trip_id, const std::string& booking_id,
                            const std::vector<std::string>& seats, const Journey& journey) = 0;
  /// Seats held, booked or blocked on some leg of `journey`, with the strongest status;
  /// seats not listed are free.
  virtual absl::StatusOr<std::map<std::string, SeatStatus>> Claims(const std::string& trip_id,
                                                                   const Journey& journey) = 0;
  /// Frees up to `limit` expired holds and returns them.
  virtual absl::StatusOr<std::vector<HoldRecord>> SweepExpired(int limit) = 0;
};

}  // namespace travio::inventory
