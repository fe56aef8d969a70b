#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio::inventory {

/// One place of a trip's layout snapshot, as inventory sells it.
struct Place {
  std::string label;     // "A1", unique on the trip
  std::string category;  // "standard", "ladies", ...
  bool sellable = true;  // false for blocked and crew places: never offered
  int deck = 1;          // 1 for the lower (or only) deck, 2 for the upper
};

/// A trip as inventory sees it: its stops in order and the places of its bus snapshot.
struct TripSeats {
  std::string trip_id;
  std::vector<std::string> stops;  // station codes
  std::vector<Place> places;
};

/// A traveller's journey on a trip: from stop `from` to stop `to` (indexes, from < to). It
/// covers the legs [from, to): leg k runs from stop k to stop k + 1, so a seat sold from stop 0
/// to stop 1 is still free from stop 1 to stop 2.
struct Journey {
  int from = 0;
  int to = 0;
  bool operator==(const Journey&) const = default;
};

/// The journey between two station codes of the trip; kInvalidArgument `invalid_journey` when a
/// code is not a stop or `to` does not come after `from`.
absl::StatusOr<Journey> JourneyBetween(const TripSeats& trip, std::string_view from,
                                       std::string_view to);

enum class SeatStatus { kAvailable, kHeld, kBooked, kBlocked };
std::string_view SeatStatusName(SeatStatus status);

/// kAlreadyExists `seats_unavailable` when any of `seats` has a status in `statuses` (the claims
/// of a journey, as SeatLedger::Statuses gives them) other than available, with the message a
/// hold the ledger refuses gets and each such seat in a field error `seats[i]`. The field error
/// names the seat's strongest claim on the journey ("A1 is blocked" before "is booked" before
/// "is held"), where the ledger names the first leg's: they differ only for a seat claimed
/// differently on two legs of the journey.
absl::Status RefuseTakenSeats(const std::vector<std::string>& seats,
                              const std::map<std::string, SeatStatus>& statuses);

struct HoldRequest {
  std::string hold_id;  // chosen by the caller (UUIDv7), unique
  std::string holder;   // who holds (a user or guest subject)
  std::vector<std::string> seats;
  Journey journey;
  absl::Duration ttl;
};

struct Hold {
  std::string id;
  std::string holder;
  std::vector<std::string> seats;
  Journey journey;
  absl::Time expires_at;
  /// Fences confirmation: a confirm must name the version it saw.
  int64_t version = 1;
};

struct Booking {
  std::string id;
  std::string hold_id;
  std::vector<std::string> seats;
  Journey journey;
  /// An operator's block (seats kept off sale) rather than a sale: shown as blocked.
  bool blocked = false;
};

/// The seats of one trip, leg by leg: who holds or booked each seat on each leg. The reference
/// semantics every hold store must share (the memory adapter uses it directly; the Redis
/// scripts implement the same rules). Not thread-safe: one trip is changed by one caller at a
/// time. Time is passed in, so expiry is exact at the boundary: a hold is live while
/// now < expires_at, and once expired it neither blocks nor confirms.
class SeatLedger {
 public:
  explicit SeatLedger(TripSeats trip);

  const TripSeats& trip() const { return trip_; }

  /// All requested seats for the whole journey, or nothing. kInvalidArgument
  /// `invalid_seats` (unknown or repeated labels, none, more than `max_seats`),
  /// `invalid_journey`; kAlreadyExists `seats_unavailable` naming each seat that is held,
  /// booked or blocked on any leg of the journey (field errors `seats[i]`); kAlreadyExists
  /// `hold_exists` for a reused hold id.
  absl::StatusOr<Hold> HoldSeats(const HoldRequest& request, absl::Time now, int max_seats);

  /// Frees a live hold's seats. kNotFound `hold_not_found` (unknown, released, expired or
  /// confirmed).
  absl::Status Release(const std::string& hold_id, absl::Time now);

  /// Turns a live hold into a booking. kNotFound `hold_not_found`; kFailedPrecondition
  /// `hold_expired` once now >= expires_at (the seats may be someone else's by then);
  /// kAborted `hold_version_mismatch` when `version` is not the hold's.
  absl::StatusOr<Booking> Confirm(const std::string& hold_id, int64_t version,
                                  const std::string& booking_id, absl::Time now,
                                  bool blocked = false);

  /// Records a booking already made (read back from the durable store after a restart or a
  /// lost hot state): its seats are claimed on its legs without checks, the durable store
  /// having refused any double sale. kAlreadyExists `booking_exists` for a known id.
  absl::Status Restore(const Booking& booking);

  /// Puts back a booking the durable store has and this ledger lost (a reload that read the
  /// store before the booking was in it): its seats are claimed on its legs over holds, never
  /// over another booking or block (the durable store has one claim per seat-leg, and that one
  /// is live). False when the booking is here already.
  bool Reinstate(const Booking& booking);

  /// Takes back a hold kept elsewhere (a journal read after a restart) with its own expiry and
  /// version, under the same checks as HoldSeats.
  absl::StatusOr<Hold> RestoreHold(const Hold& hold, absl::Time now);

  /// Frees some or all seats of a booking on its legs (an empty list: all). kNotFound
  /// `booking_not_found`; kInvalidArgument `invalid_seats` for seats not in it.
  absl::Status CancelBooking(const std::string& booking_id, const std::vector<std::string>& seats);

  /// The status of every place for `journey`: blocked (not for sale, or an operator's block),
  /// then booked, then held (live) on any of its legs wins over available.
  std::map<std::string, SeatStatus> Statuses(const Journey& journey, absl::Time now) const;
  /// Seats free on every leg of the journey.
  int Available(const Journey& journey, absl::Time now) const;

  /// Forgets expired holds, at most `limit`, and returns them.
  std::vector<Hold> SweepExpired(absl::Time now, size_t limit = SIZE_MAX);

  std::optional<Hold> FindHold(const std::string& hold_id) const;

 private:
  struct Claim {
    std::string owner;  // hold or booking id
    bool booked = false;
    bool blocked = false;  // booked by an operator's block
  };
  bool LiveHold(const std::string& hold_id, absl::Time now) const;
  // The claim on a seat's leg that still counts at `now` (expired holds do not).
  const Claim* ActiveClaim(size_t place, int leg, absl::Time now) const;
  // Claims the booking's seats on its legs and records it.
  void ClaimLegs(const Booking& booking);
  void Clear(const std::vector<std::string>& seats, const Journey& journey,
             const std::string& owner);
  int legs() const { return static_cast<int>(trip_.stops.size()) - 1; }

  TripSeats trip_;
  std::map<std::string, size_t> index_;     // label -> place
  std::vector<std::vector<Claim>> claims_;  // [place][leg]
  std::map<std::string, Hold> holds_;
  std::map<std::string, Booking> bookings_;
};

}  // namespace travio::inventory
