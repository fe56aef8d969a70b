#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/base/fare.h"
#include "services/inventory/domain/seat_ledger.h"

namespace travio::inventory {

using ::travio::Fare;

/// A trip as it is offered for sale: its seats and stops, its fares, and the catalog version
/// the offer came from (events older than it are stale).
struct TripOffer {
  TripSeats seats;
  std::vector<Fare> fares;
  std::string org_id;
  bool on_sale = false;
  int64_t catalog_version = 0;
};

struct SeatPrice {
  std::string seat;
  int64_t amount = 0;
  std::string currency;
};

/// The price of each seat for `journey`, frozen into a hold: the seat category's own fare for
/// the journey's stop pair, else the pair's fare without category. kFailedPrecondition
/// `not_on_sale` when the trip is not on sale, kInvalidArgument `journey_not_sold` (naming the
/// seats) when the pair has no fare for some seat.
absl::StatusOr<std::vector<SeatPrice>> Quote(const TripOffer& offer, const Journey& journey,
                                             const std::vector<std::string>& seats);

}  // namespace travio::inventory
