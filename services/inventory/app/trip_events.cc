#include "services/inventory/app/trip_events.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "services/operator/api/layout_document.h"

namespace travio::inventory {
absl::StatusOr<TripListing> ListingOf(const catalog::PublishedTrip& trip) {
  TripListing listing;
  TripOffer& offer = listing.offer;
  offer.seats.trip_id = trip.id;
  offer.org_id = trip.org_id;
  offer.catalog_version = trip.version;
  offer.on_sale = catalog::OnSale(trip.status);
  offer.terms.route_id = trip.route_id;
  offer.terms.bus_class = trip.bus.bus_class;
  offer.terms.ac = trip.bus.ac;
  for (const catalog::PublishedTrip::Stop& stop : trip.stops) {
    offer.seats.stops.push_back(stop.station);
    absl::StatusOr<absl::Time> departs = ParseRfc3339(stop.depart_at);
    if (!departs.ok()) return catalog::InvalidTrip(trip, "a stop's departure does not read");
    offer.terms.departs.push_back(*departs);
    offer.terms.zones.push_back(stop.zone);
  }
  if (offer.seats.stops.size() < 2)
    return catalog::InvalidTrip(trip, "a trip has at least two stops");
  listing.layout_json = trip.bus.layout_document;
  auto layout = fleet::LayoutFromDocument(trip.bus.layout_document);
  if (!layout.ok()) return catalog::InvalidTrip(trip, "the layout snapshot does not read");
  std::map<std::string, int> deck_of;
  for (size_t deck = 0; deck < layout->decks.size(); ++deck) {
    for (const fleet::Cell& cell : layout->decks[deck].cells) {
      deck_of[cell.label] = static_cast<int>(deck) + 1;
    }
  }
  for (const fleet::Cell* cell : layout->Places()) {
    offer.seats.places.push_back(
        {cell->label, cell->category, cell->sellable(), deck_of[cell->label]});
  }
  offer.fares = trip.fares;
  return listing;
}

}  // namespace travio::inventory
