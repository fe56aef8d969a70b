#pragma once

#include "absl/status/statusor.h"
#include "platform/events/event.h"
#include "services/inventory/app/ports.h"
#include "services/inventory/domain/offer.h"

namespace travio::inventory {

/// The offer a catalog `trip.*.v1` event describes (its payload is the catalog's
/// TripEventJson: stops, fares, status, version and the bus's layout snapshot). Blocked and
/// crew places become places that are never sold. kInvalidArgument `invalid_event` for a
/// payload that is not such a document.
absl::StatusOr<TripOffer> OfferFromTripEvent(const events::Event& event);

/// The offer with the layout snapshot's JSON, as inventory keeps it.
absl::StatusOr<TripListing> ListingFromTripEvent(const events::Event& event);

}  // namespace travio::inventory
