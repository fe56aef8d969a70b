#include "services/search/app/search_service.h"

#include <algorithm>
#include <limits>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/events/contract.h"
#include "services/operator/api/layout_document.h"

namespace travio::search {
absl::StatusOr<TripListing> ListingOf(const catalog::PublishedTrip& trip) {
  TripListing listing;
  listing.trip_id = trip.id;
  listing.org_id = trip.org_id;
  listing.version = trip.version;
  listing.on_sale = catalog::OnSale(trip.status);
  for (const catalog::PublishedTrip::Stop& stop : trip.stops) {
    listing.stops.push_back(StopTime{.station = stop.station,
                                     .arrive_at = stop.arrive_at,
                                     .depart_at = stop.depart_at,
                                     .boarding = stop.boarding,
                                     .dropping = stop.dropping,
                                     .zone = stop.zone});
  }
  if (listing.stops.size() < 2) return catalog::InvalidTrip(trip, "a trip has at least two stops");
  listing.fares = trip.fares;
  listing.route_id = trip.route_id;
  listing.bus_class = trip.bus.bus_class;
  listing.ac = trip.bus.ac;
  listing.amenities = trip.bus.amenities;
  auto layout = fleet::LayoutFromDocument(trip.bus.layout_document);
  if (!layout.ok()) return catalog::InvalidTrip(trip, "the layout snapshot does not read");
  std::map<std::string, int> deck_of;
  for (size_t deck = 0; deck < layout->decks.size(); ++deck) {
    for (const fleet::Cell& cell : layout->decks[deck].cells) {
      deck_of[cell.label] = static_cast<int>(deck) + 1;
    }
  }
  auto plan = std::make_shared<SeatPlan>();
  for (const fleet::Cell* cell : layout->Places()) {
    if (!cell->sellable()) continue;
    plan->seats.push_back(cell->label);
    plan->kinds.push_back(SeatKind{.category = cell->category, .deck = deck_of[cell->label]});
  }
  listing.seat_plan = std::move(plan);
  return listing;
}

SearchService::SearchService(Ports ports) : ports_(std::move(ports)) {}

absl::Status SearchService::Restore() {
  TRAVIO_ASSIGN_OR_RETURN(Snapshot snapshot, ports_.snapshots.Load());
  for (const StationEntry& station : snapshot.stations) stations_.Upsert(station);
  const auto trip_count = static_cast<int64_t>(snapshot.trips.size());
  for (auto& [listing, claims] : snapshot.trips) {
    const std::string trip_id = listing.trip_id;
    trips_.Upsert(std::move(listing));  // moved, not copied: a year of trips is loaded once
    for (const auto& [owner, claim] : claims) trips_.Claim(trip_id, owner, claim);
  }
  ports_.logger.Info(
      "search read model restored",
      {{"trips", trip_count}, {"stations", static_cast<int64_t>(snapshot.stations.size())}});
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
  const absl::Time now = ports_.clock.Now();
  std::vector<Candidate> candidates = trips_.Candidates(query, now);
  PriceWithRules(candidates, query, now);
  std::vector<SearchHit> hits;
  hits.reserve(candidates.size());
  for (Candidate& candidate : candidates) hits.push_back(std::move(candidate.hit));
  TRAVIO_ASSIGN_OR_RETURN(SearchPage page, TripIndex::PageOf(std::move(hits), query));
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

void SearchService::PriceWithRules(std::vector<Candidate>& candidates, const SearchQuery& query,
                                   absl::Time now) {
  if (ports_.pricing == nullptr) return;
  std::vector<pricing::PriceRequest> requests;
  std::vector<Candidate*> priced;
  for (Candidate& candidate : candidates) {
    if (candidate.pricing.free.empty()) continue;
    const SearchHit& hit = candidate.hit;
    PricingInput& input = candidate.pricing;  // its seats move into the request
    pricing::PriceRequest request{
        .org_id = hit.org_id,
        .trip = pricing::TripFacts{.id = hit.trip_id,
                                   .route_id = input.route_id,
                                   .departure = input.departure,
                                   .bus_class = hit.bus_class,
                                   .ac = hit.ac,
                                   .zone = input.zone},
        .journey = pricing::JourneyFacts{.from = hit.from, .to = hit.to, .legs = input.legs},
        .occupancy = input.occupancy,
        .passengers = query.passengers,
        .at = now,
        .currency = hit.fare_currency,
        .seats = {}};
    request.seats.reserve(input.free.size());
    for (PricingInput::FreeKind& free : input.free) {
      request.seats.push_back(pricing::SeatFacts{.label = std::move(free.label),
                                                 .category = std::move(free.kind.category),
                                                 .deck = free.kind.deck,
                                                 .base = free.base});
    }
    requests.push_back(std::move(request));
    priced.push_back(&candidate);
  }
  // In calls of at most kMaxTripsPerPriceMany trips: a busy day between two cities has more.
  for (size_t first = 0; first < requests.size(); first += pricing::kMaxTripsPerPriceMany) {
    const size_t count = std::min(pricing::kMaxTripsPerPriceMany, requests.size() - first);
    std::vector<pricing::PriceRequest> chunk;
    if (first == 0 && count == requests.size()) {
      chunk = std::move(requests);  // the common case: one call
    } else {
      chunk.assign(std::make_move_iterator(requests.begin() + first),
                   std::make_move_iterator(requests.begin() + first + count));
    }
    absl::StatusOr<std::vector<pricing::PriceResult>> results = ports_.pricing->PriceMany(chunk);
    if (!results.ok() || results->size() != count) {
      // Results still show, at base fares; a hold prices with the rules (or fails) on its own.
      ports_.logger.Warn(
          "pricing unavailable; search shows base fares",
          {{"error", results.ok() ? "answers missing" : results.status().ToString()}});
      continue;
    }
    for (size_t i = 0; i < count; ++i) {
      int64_t cheapest = std::numeric_limits<int64_t>::max();
      for (const pricing::SeatQuote& quote : (*results)[i].seats) {
        cheapest = std::min(cheapest, quote.price);
      }
      if (cheapest != std::numeric_limits<int64_t>::max()) {
        priced[first + i]->hit.fare_amount = cheapest;
      }
    }
  }
}

absl::StatusOr<std::vector<StationEntry>> SearchService::FindStations(const std::string& query,
                                                                      int limit) {
  return stations_.Find(query, limit);
}

absl::Status SearchService::AddStation(const StationEntry& station) {
  stations_.Upsert(station);
  return ports_.snapshots.PutStation(station);
}

absl::Status SearchService::OnTripChanged(const catalog::PublishedTrip& trip) {
  absl::StatusOr<TripListing> listing = ListingOf(trip);
  if (!listing.ok()) {
    ports_.logger.Error("dropped a trip search cannot list",
                        {{"trip_id", trip.id}, {"error", listing.status().ToString()}});
    return absl::OkStatus();
  }
  if (!trips_.Upsert(*listing)) return absl::OkStatus();  // a replay or an older version
  return ports_.snapshots.PutTrip(*listing);
}

absl::Status SearchService::OnStationAdded(const catalog::Station& station) {
  return AddStation(StationEntry{station.code, station.name, station.city});
}

SeatClaim SearchService::ClaimOf(const inventory::SeatsChanged& change) {
  return SeatClaim{.seats = change.seats,
                   .from = change.from_leg,
                   .to = change.to_leg,
                   .expires_at = change.expires_at};
}

absl::Status SearchService::OnHoldPlaced(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  trips_.Claim(trip_id, change.hold_id, ClaimOf(change));
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

absl::Status SearchService::OnHoldEnded(const std::string& trip_id,
                                        const inventory::SeatsChanged& change) {
  trips_.EndClaim(trip_id, change.hold_id);
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

absl::Status SearchService::OnSeatsTaken(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  trips_.EndClaim(trip_id, change.hold_id);
  SeatClaim claim = ClaimOf(change);
  claim.expires_at = absl::InfiniteFuture();
  trips_.Claim(trip_id, change.booking_id, claim);
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

absl::Status SearchService::OnSeatsBlocked(const std::string& trip_id,
                                           const inventory::SeatsChanged& change) {
  SeatClaim claim = ClaimOf(change);
  claim.expires_at = absl::InfiniteFuture();
  claim.blocked = true;
  trips_.Claim(trip_id, change.booking_id, claim);
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

absl::Status SearchService::OnSeatsFreed(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  trips_.ReduceClaim(trip_id, change.booking_id, change.seats);
  return ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id));
}

void FollowEvents(events::Bus& bus, const std::shared_ptr<SearchService>& service) {
  const log::Logger& logger = service->logger();
  for (const auto* contract : catalog::kTripEvents) {
    events::Subscribe<catalog::PublishedTrip>(
        bus, "search", *contract, logger,
        [service](const events::Event&, const catalog::PublishedTrip& trip) {
          return service->OnTripChanged(trip);
        });
  }
  events::Subscribe<catalog::Station>(
      bus, "search", catalog::kStationAdded, logger,
      [service](const events::Event&, const catalog::Station& station) {
        return service->OnStationAdded(station);
      });
  using Handler =
      absl::Status (SearchService::*)(const std::string&, const inventory::SeatsChanged&);
  const std::pair<const events::Contract<inventory::SeatsChanged>*, Handler> seat_handlers[] = {
      {&inventory::kHoldPlaced, &SearchService::OnHoldPlaced},
      {&inventory::kHoldReleased, &SearchService::OnHoldEnded},
      {&inventory::kHoldExpired, &SearchService::OnHoldEnded},
      {&inventory::kBookingCreated, &SearchService::OnSeatsTaken},
      {&inventory::kSeatsBlocked, &SearchService::OnSeatsBlocked},
      {&inventory::kBookingCancelled, &SearchService::OnSeatsFreed},
      {&inventory::kSeatsUnblocked, &SearchService::OnSeatsFreed},
  };
  for (const auto& [contract, handler] : seat_handlers) {
    events::Subscribe<inventory::SeatsChanged>(
        bus, "search", *contract, logger,
        [service, handler](const events::Event& event, const inventory::SeatsChanged& change) {
          return ((*service).*handler)(event.aggregate_id, change);
        });
  }
}

}  // namespace travio::search
