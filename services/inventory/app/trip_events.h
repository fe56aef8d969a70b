#pragma once

#include "absl/status/statusor.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/app/ports.h"
#include "services/inventory/domain/offer.h"

namespace travio::inventory {

/// The offer of a trip the catalog published (trip.*.v1): its stops, fares, status and version,
/// and the places of its layout document, blocked and crew ones never sold. The listing keeps
/// the layout document for seat maps. kInvalidArgument `invalid_event` for a trip that cannot be
/// sold from (fewer than two stops, a layout that does not read).
absl::StatusOr<TripListing> ListingOf(const catalog::PublishedTrip& trip);

}  // namespace travio::inventory
