// The catalog's trip events as inventory reads them: the events are made and read through the
// catalog's own contract (kTripPublished), so a change on either side that breaks the other
// fails here.
#include "services/inventory/app/trip_events.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"

namespace travio::inventory {
namespace {

catalog::Trip CatalogTrip() {
  fleet::SeatLayout layout = *fleet::LayoutFromTemplate("2+2", 2);
  layout.decks[0].cells[0].category = "ladies";
  for (fleet::Cell& cell : layout.decks[0].cells) {
    if (cell.label == "B4") cell.blocked = true;
  }
  const absl::Time departure = absl::FromUnixSeconds(1'797'784'200);
  catalog::Trip trip;
  trip.id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900010";
  trip.org_id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
  trip.route_id = "route";
  trip.route_name = "Dhaka - Cox's Bazar";
  trip.bus = {.bus_id = "bus", .bus_version = 1, .plate = "DHA-1"};
  catalog::SetLayout(trip.bus, layout);
  trip.stops = {{"DHK", "Asia/Dhaka", departure, departure, true, false},
                {"CTG", "Asia/Dhaka", departure + absl::Minutes(330),
                 departure + absl::Minutes(345), true, true},
                {"CXB", "Asia/Dhaka", departure + absl::Minutes(570),
                 departure + absl::Minutes(570), false, true}};
  trip.fares = {{"DHK", "CXB", 150000, "BDT", ""}, {"DHK", "CXB", 140000, "BDT", "ladies"}};
  trip.status = catalog::TripStatus::kPublished;
  trip.version = 3;
  return trip;
}

events::Event EventOf(const catalog::Trip& trip) {
  return catalog::kTripPublished.Make(catalog::Publish(trip), {.id = "event-1",
                                                               .aggregate_id = trip.id,
                                                               .org_id = trip.org_id,
                                                               .occurred_at = absl::UnixEpoch(),
                                                               .trace_id = ""});
}

// What inventory makes of the event: the trip read through the catalog's contract.
absl::StatusOr<TripOffer> OfferFromTripEvent(const events::Event& event) {
  absl::StatusOr<catalog::PublishedTrip> trip = catalog::kTripPublished.Read(event);
  if (!trip.ok()) return trip.status();
  absl::StatusOr<TripListing> listing = ListingOf(*trip);
  if (!listing.ok()) return listing.status();
  return listing->offer;
}

TEST(TripEventsTest, APublishedTripBecomesAnOfferOnSale) {
  auto offer = OfferFromTripEvent(EventOf(CatalogTrip()));
  ASSERT_OK(offer);
  EXPECT_EQ(offer->seats.trip_id, CatalogTrip().id);
  EXPECT_EQ(offer->org_id, CatalogTrip().org_id);
  EXPECT_EQ(offer->seats.stops, (std::vector<std::string>{"DHK", "CTG", "CXB"}));
  ASSERT_EQ(offer->seats.places.size(), 8u);
  EXPECT_EQ(offer->seats.places[0].label, "A1");
  EXPECT_EQ(offer->seats.places[0].category, "ladies");
  int for_sale = 0;
  for (const Place& place : offer->seats.places) for_sale += place.sellable ? 1 : 0;
  EXPECT_EQ(for_sale, 7);  // B4 is blocked
  EXPECT_TRUE(offer->on_sale);
  EXPECT_EQ(offer->catalog_version, 3);
  auto prices = Quote(*offer, Journey{0, 2}, {"A1", "A2"});
  ASSERT_OK(prices);
  EXPECT_EQ((*prices)[0].amount, 140000);
  EXPECT_EQ((*prices)[1].amount, 150000);
}

TEST(TripEventsTest, CancelledAndDraftTripsAreNotOnSale) {
  catalog::Trip trip = CatalogTrip();
  trip.status = catalog::TripStatus::kCancelled;
  EXPECT_FALSE(OfferFromTripEvent(EventOf(trip))->on_sale);
  trip.status = catalog::TripStatus::kDelayed;
  EXPECT_TRUE(OfferFromTripEvent(EventOf(trip))->on_sale);
}

TEST(TripEventsTest, MalformedPayloadsAreRefusedNotThrown) {
  events::Event event = EventOf(CatalogTrip());
  for (const std::string& payload :
       {std::string("not json"), std::string("[]"), std::string("{\"id\":1}"),
        std::string("{\"id\":\"t\",\"org_id\":\"o\",\"version\":1,\"status\":\"published\","
                    "\"stops\":[{\"station\":\"DHK\"}],\"layout\":{},\"fares\":[]}")}) {
    event.payload = payload;
    EXPECT_EQ(ReasonOf(OfferFromTripEvent(event).status()), "invalid_event") << payload;
  }
}

}  // namespace
}  // namespace travio::inventory
