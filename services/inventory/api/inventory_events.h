#pragma once

// The events inventory publishes (platform/events/contract.h): seats of a trip changing hands
// for a journey. Search counts seats from them; the gateway streams them to seat maps. The
// trip is each event's aggregate.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/contract.h"

namespace travio::inventory {

/// Seats taken or given back for one journey of a trip.
struct SeatsChanged {
  std::string hold_id;     // hold.*; booking.created and seats.blocked: the hold it came from
  std::string booking_id;  // booking.* and seats.*
  std::vector<std::string> seats;
  std::string from;  // the journey's station codes
  std::string to;
  int from_leg = 0;  // the journey as legs of the trip: [from_leg, to_leg)
  int to_leg = 0;
  /// hold.placed.v1: when the hold lapses (InfiniteFuture otherwise).
  absl::Time expires_at = absl::InfiniteFuture();
  bool operator==(const SeatsChanged&) const = default;
};

std::string EncodeSeatsChanged(const SeatsChanged& change);
absl::StatusOr<SeatsChanged> DecodeSeatsChanged(std::string_view payload);

/// A hold took the seats (until `expires_at`).
inline constexpr events::Contract<SeatsChanged> kHoldPlaced{"hold.placed.v1", &EncodeSeatsChanged,
                                                            &DecodeSeatsChanged};
/// Its holder let the hold go; it lapsed.
inline constexpr events::Contract<SeatsChanged> kHoldReleased{
    "hold.released.v1", &EncodeSeatsChanged, &DecodeSeatsChanged};
inline constexpr events::Contract<SeatsChanged> kHoldExpired{"hold.expired.v1", &EncodeSeatsChanged,
                                                             &DecodeSeatsChanged};
/// A hold became a booking (sold), or an operator's block.
inline constexpr events::Contract<SeatsChanged> kBookingCreated{
    "booking.created.v1", &EncodeSeatsChanged, &DecodeSeatsChanged};
inline constexpr events::Contract<SeatsChanged> kSeatsBlocked{
    "seats.blocked.v1", &EncodeSeatsChanged, &DecodeSeatsChanged};
/// Seats of a booking, or of a block, were given back.
inline constexpr events::Contract<SeatsChanged> kBookingCancelled{
    "booking.cancelled.v1", &EncodeSeatsChanged, &DecodeSeatsChanged};
inline constexpr events::Contract<SeatsChanged> kSeatsUnblocked{
    "seats.unblocked.v1", &EncodeSeatsChanged, &DecodeSeatsChanged};

/// Every seat event, for consumers that follow a trip's seat map.
inline constexpr const events::Contract<SeatsChanged>* kSeatEvents[] = {
    &kHoldPlaced,   &kHoldReleased,     &kHoldExpired,   &kBookingCreated,
    &kSeatsBlocked, &kBookingCancelled, &kSeatsUnblocked};

}  // namespace travio::inventory
