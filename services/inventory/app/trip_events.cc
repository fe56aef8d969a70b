#include "services/inventory/app/trip_events.h"

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "services/operator/api/layout_document.h"

namespace travio::inventory {
absl::StatusOr<TripListing> ListingOf(const catalog::PublishedTrip& trip) {
  TripListing listing;
  TripOffer& offer = listing.offer;
  offer.seats.trip_id = trip.id;
  offer.org_id = trip.org_id;
  offer.catalog_version = trip.version;
  offer.on_sale = catalog::OnSale(trip.status);
  for (const catalog::PublishedTrip::Stop& stop : trip.stops) {
    offer.seats.stops.push_back(stop.station);
  }
  if (offer.seats.stops.size() < 2)
    return catalog::InvalidTrip(trip, "a trip has at least two stops");
  listing.layout_json = trip.bus.layout_document;
  auto layout = fleet::LayoutFromDocument(trip.bus.layout_document);
  if (!layout.ok()) return catalog::InvalidTrip(trip, "the layout snapshot does not read");
  for (const fleet::Cell* cell : layout->Places()) {
    offer.seats.places.push_back({cell->label, cell->category, cell->sellable()});
  }
  offer.fares = trip.fares;
  return listing;
}

}  // namespace travio::inventory
