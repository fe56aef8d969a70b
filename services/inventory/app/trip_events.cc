#include "services/inventory/app/trip_events.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "services/operator/api/layout_json.h"

namespace travio::inventory {
namespace {

absl::Status Invalid(const events::Event& event, std::string_view why) {
  return Error(absl::StatusCode::kInvalidArgument, "invalid_event",
               absl::StrCat("Event ", event.id, " (", event.type, "): ", ToAbsl(why)));
}

}  // namespace

absl::StatusOr<TripOffer> OfferFromTripEvent(const events::Event& event) {
  absl::StatusOr<TripListing> listing = ListingFromTripEvent(event);
  if (!listing.ok()) return listing.status();
  return std::move(listing->offer);
}

absl::StatusOr<TripListing> ListingFromTripEvent(const events::Event& event) {
  const nlohmann::json payload =
      nlohmann::json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return Invalid(event, "the payload is not a JSON object");
  try {
    TripListing listing;
    TripOffer& offer = listing.offer;
    offer.seats.trip_id = payload.at("id").get<std::string>();
    offer.org_id = payload.at("org_id").get<std::string>();
    offer.catalog_version = payload.at("version").get<int64_t>();
    const std::string status = payload.at("status").get<std::string>();
    offer.on_sale = status == "published" || status == "delayed";
    for (const nlohmann::json& stop : payload.at("stops")) {
      offer.seats.stops.push_back(stop.at("station").get<std::string>());
    }
    if (offer.seats.stops.size() < 2) return Invalid(event, "a trip has at least two stops");
    listing.layout_json = payload.at("layout").dump();
    auto layout = fleet::LayoutFromJson(payload.at("layout"));
    if (!layout.ok()) return Invalid(event, "the layout snapshot is not valid");
    for (const fleet::Cell* cell : layout->Places()) {
      offer.seats.places.push_back({cell->label, cell->category, cell->sellable()});
    }
    for (const nlohmann::json& fare : payload.at("fares")) {
      offer.fares.push_back(Fare{.from = fare.at("from").get<std::string>(),
                                 .to = fare.at("to").get<std::string>(),
                                 .amount = fare.at("amount").get<int64_t>(),
                                 .currency = fare.at("currency").get<std::string>(),
                                 .category = fare.value("category", "")});
    }
    return listing;
  } catch (const nlohmann::json::exception& error) {
    return Invalid(event, error.what());
  }
}

}  // namespace travio::inventory
