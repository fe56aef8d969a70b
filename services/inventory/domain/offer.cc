#include "services/inventory/domain/offer.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::inventory {

absl::StatusOr<std::vector<SeatPrice>> Quote(const TripOffer& offer, const Journey& journey,
                                             const std::vector<std::string>& seats) {
  if (!offer.on_sale) {
    return Error(reasons::kNotOnSale, "The trip is not on sale.");
  }
  const std::vector<std::string>& stops = offer.seats.stops;
  if (journey.from < 0 || journey.from >= journey.to ||
      journey.to >= static_cast<int>(stops.size())) {
    return Error(reasons::kInvalidJourney, "The journey is not on this trip.");
  }
  const std::string& from = stops[static_cast<size_t>(journey.from)];
  const std::string& to = stops[static_cast<size_t>(journey.to)];
  std::vector<SeatPrice> prices;
  std::vector<FieldError> unsold;
  for (size_t i = 0; i < seats.size(); ++i) {
    const Place* place = nullptr;
    for (const Place& candidate : offer.seats.places) {
      if (candidate.label == seats[i]) place = &candidate;
    }
    const Fare* own = nullptr;
    const Fare* fallback = nullptr;
    for (const Fare& fare : offer.fares) {
      if (fare.from != from || fare.to != to) continue;
      if (place != nullptr && fare.category == place->category) own = &fare;
      if (fare.category.empty()) fallback = &fare;
    }
    const Fare* fare = own != nullptr ? own : fallback;
    if (place == nullptr || fare == nullptr) {
      unsold.push_back({absl::StrCat("seats[", i, "]"),
                        absl::StrCat(seats[i], " is not sold from ", from, " to ", to)});
      continue;
    }
    prices.push_back({.seat = seats[i],
                      .amount = fare->amount,
                      .currency = fare->currency,
                      .base = fare->amount,
                      .rules = {}});
  }
  if (!unsold.empty()) {
    return WithFieldErrors(
        Error(reasons::kJourneyNotSold,
              absl::StrCat("No fare from ", from, " to ", to, " for some of these seats.")),
        unsold);
  }
  return prices;
}

}  // namespace travio::inventory
