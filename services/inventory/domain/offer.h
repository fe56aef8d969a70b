#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/fare.h"
#include "services/inventory/domain/seat_ledger.h"

namespace travio::inventory {

using ::travio::Fare;

/// What pricing rules know of a trip (api.md "Pricing rules"), per stop where it differs.
struct TripTerms {
  std::string route_id;
  std::string bus_class;
  bool ac = false;
  std::vector<absl::Time> departs;  // when the bus leaves each stop, delay included
  std::vector<std::string> zones;   // each stop's IANA time zone (may be empty)
};

/// A trip as it is offered for sale: its seats and stops, its fares, what rules know of it, and
/// the catalog version the offer came from (events older than it are stale).
struct TripOffer {
  TripSeats seats;
  std::vector<Fare> fares;
  TripTerms terms;
  std::string org_id;
  bool on_sale = false;
  int64_t catalog_version = 0;
};

/// A pricing rule's version that took part in a price.
struct RuleVersion {
  std::string rule_id;
  int64_t version = 0;
  bool operator==(const RuleVersion&) const = default;
};

/// A seat's price as a hold froze it: `amount` is what the traveller pays, `base` the
/// catalog's fare it came from, `rules` the rule versions that turned one into the other.
struct SeatPrice {
  std::string seat;
  int64_t amount = 0;
  std::string currency;
  int64_t base = 0;
  std::vector<RuleVersion> rules;
  bool operator==(const SeatPrice&) const = default;
};

/// The price of each seat for `journey`, frozen into a hold: the seat category's own fare for
/// the journey's stop pair, else the pair's fare without category. kFailedPrecondition
/// `not_on_sale` when the trip is not on sale, kInvalidArgument `journey_not_sold` (naming the
/// seats) when the pair has no fare for some seat.
absl::StatusOr<std::vector<SeatPrice>> Quote(const TripOffer& offer, const Journey& journey,
                                             const std::vector<std::string>& seats);

}  // namespace travio::inventory
