#include "services/search/app/search_service.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/operator/api/layout_json.h"

namespace travio::search {
namespace {

using nlohmann::json;

absl::Status Invalid(const events::Event& event, std::string_view why) {
  return Error(absl::StatusCode::kInvalidArgument, "invalid_event",
               absl::StrCat("Event ", event.id, " (", event.type, "): ", ToAbsl(why)));
}

}  // namespace

absl::StatusOr<TripListing> ListingFromTripEvent(const events::Event& event) {
  const json payload = json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) return Invalid(event, "the payload is not a JSON object");
  try {
    TripListing listing;
    listing.trip_id = payload.at("id").get<std::string>();
    listing.org_id = payload.at("org_id").get<std::string>();
    listing.version = payload.at("version").get<int64_t>();
    const std::string status = payload.at("status").get<std::string>();
    listing.on_sale = status == "published" || status == "delayed";
    for (const json& stop : payload.at("stops")) {
      listing.stops.push_back(StopTime{.station = stop.at("station").get<std::string>(),
                                       .arrive_at = stop.at("arrive_at").get<std::string>(),
                                       .depart_at = stop.at("depart_at").get<std::string>(),
                                       .boarding = stop.value("boarding", true),
                                       .dropping = stop.value("dropping", true)});
    }
    for (const json& fare : payload.at("fares")) {
      listing.fares.push_back(FareEntry{.from = fare.at("from").get<std::string>(),
                                        .to = fare.at("to").get<std::string>(),
                                        .amount = fare.at("amount").get<int64_t>(),
                                        .currency = fare.at("currency").get<std::string>(),
                                        .category = fare.value("category", "")});
    }
    const json& bus = payload.at("bus");
    listing.bus_class = bus.at("class").get<std::string>();
    listing.ac = bus.at("ac").get<bool>();
    listing.amenities = bus.at("amenities").get<std::vector<std::string>>();
    auto layout = fleet::LayoutFromStoredJson(payload.at("layout"));
    if (!layout.ok()) return Invalid(event, "the layout snapshot is not valid");
    for (const fleet::Cell* cell : layout->Places()) {
      if (cell->sellable()) listing.seats.push_back(cell->label);
    }
    if (listing.stops.size() < 2) return Invalid(event, "a trip has at least two stops");
    return listing;
  } catch (const json::exception& error) {
    return Invalid(event, error.what());
  }
}

SearchService::SearchService(Ports ports) : ports_(std::move(ports)) {}

absl::Status SearchService::Restore() {
  TRAVIO_ASSIGN_OR_RETURN(Snapshot snapshot, ports_.snapshots.Load());
  for (const StationEntry& station : snapshot.stations) stations_.Upsert(station);
  for (const auto& [listing, claims] : snapshot.trips) {
    trips_.Upsert(listing);
    for (const auto& [owner, claim] : claims) trips_.Claim(listing.trip_id, owner, claim);
  }
  ports_.logger.Info("search read model restored",
                     {{"trips", static_cast<int64_t>(snapshot.trips.size())},
                      {"stations", static_cast<int64_t>(snapshot.stations.size())}});
  return absl::OkStatus();
}

std::string SearchService::OperatorName(const std::string& org_id) {
  {
    std::lock_guard lock(names_mutex_);
    if (auto it = operator_names_.find(org_id); it != operator_names_.end()) return it->second;
  }
  absl::StatusOr<std::string> name = ports_.operators.NameOf(org_id);
  if (!name.ok()) {
    ports_.logger.Warn("operator name unavailable",
                       {{"org_id", org_id}, {"error", name.status().ToString()}});
    return "";
  }
  std::lock_guard lock(names_mutex_);
  operator_names_[org_id] = *name;
  return *name;
}

absl::StatusOr<SearchResults> SearchService::Search(const SearchQuery& query) {
  TRAVIO_ASSIGN_OR_RETURN(SearchPage page, trips_.Search(query, ports_.clock.Now()));
  SearchResults results{.items = {}, .next_cursor = page.next_cursor};
  const StationEntry from =
      stations_.ByCode(query.from).value_or(StationEntry{query.from, query.from, ""});
  const StationEntry to = stations_.ByCode(query.to).value_or(StationEntry{query.to, query.to, ""});
  for (SearchHit& hit : page.items) {
    const std::string name = OperatorName(hit.org_id);
    results.items.push_back(
        TripResult{.hit = std::move(hit), .operator_name = name, .from = from, .to = to});
  }
  return results;
}

absl::StatusOr<std::vector<StationEntry>> SearchService::FindStations(const std::string& query,
                                                                      int limit) {
  return stations_.Find(query, limit);
}

absl::Status SearchService::AddStation(const StationEntry& station) {
  stations_.Upsert(station);
  return ports_.snapshots.PutStation(station);
}

absl::Status SearchService::OnEvent(const events::Event& event) {
  if (absl::StartsWith(event.type, "trip.")) return OnTripEvent(event);
  if (event.type == "station.added.v1") {
    const json payload = json::parse(event.payload, nullptr, false);
    if (!payload.is_object() || !payload.contains("code") || !payload["code"].is_string()) {
      ports_.logger.Error("dropped a station event search cannot read", {{"event_id", event.id}});
      return absl::OkStatus();
    }
    return AddStation(StationEntry{payload["code"].get<std::string>(), payload.value("name", ""),
                                   payload.value("city", "")});
  }
  return OnSeatEvent(event);
}

absl::Status SearchService::OnTripEvent(const events::Event& event) {
  absl::StatusOr<TripListing> listing = ListingFromTripEvent(event);
  if (!listing.ok()) {
    ports_.logger.Error("dropped a trip event search cannot read",
                        {{"event_id", event.id}, {"error", listing.status().ToString()}});
    return absl::OkStatus();
  }
  if (!trips_.Upsert(*listing)) return absl::OkStatus();  // a replay or an older version
  return ports_.snapshots.PutTrip(*listing);
}

// Inventory's seat events: {trip_id?, hold_id | booking_id, seats, journey:{from,to},
// expires_at?}; the trip is the event's aggregate.
absl::Status SearchService::OnSeatEvent(const events::Event& event) {
  const json payload = json::parse(event.payload, nullptr, false);
  const std::string& trip_id = event.aggregate_id;
  try {
    const std::vector<std::string> seats = payload.at("seats").get<std::vector<std::string>>();
    const json& journey = payload.at("journey");
    SeatClaim claim{.seats = seats,
                    .from = journey.at("from").get<int>(),
                    .to = journey.at("to").get<int>(),
                    .expires_at = absl::InfiniteFuture()};
    if (event.type == "hold.placed.v1") {
      absl::Time expires;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, payload.at("expires_at").get<std::string>(),
                           &expires, &error)) {
        return Invalid(event, "expires_at is not an instant");
      }
      claim.expires_at = expires;
      trips_.Claim(trip_id, payload.at("hold_id").get<std::string>(), claim);
    } else if (event.type == "hold.released.v1" || event.type == "hold.expired.v1") {
      trips_.EndClaim(trip_id, payload.at("hold_id").get<std::string>());
    } else if (event.type == "booking.created.v1" || event.type == "seats.blocked.v1") {
      trips_.EndClaim(trip_id, payload.at("hold_id").get<std::string>());
      trips_.Claim(trip_id, payload.at("booking_id").get<std::string>(), claim);
    } else if (event.type == "booking.cancelled.v1" || event.type == "seats.unblocked.v1") {
      trips_.ReduceClaim(trip_id, payload.at("booking_id").get<std::string>(), seats);
    } else {
      return absl::OkStatus();  // not a seat event
    }
  } catch (const json::exception& error) {
    ports_.logger.Error("dropped a seat event search cannot read",
                        {{"event_id", event.id}, {"error", error.what()}});
    return absl::OkStatus();
  }
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

}  // namespace travio::search
