#include "services/inventory/app/inventory_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/inventory/app/trip_events.h"
#include "services/operator/api/layout_document.h"

namespace travio::inventory {
namespace {

// Holds made for an operator's block only live while the block is written.
constexpr absl::Duration kBlockHoldTtl = absl::Seconds(30);
constexpr int kMostSweepBatches = 50;
// A sweep stops after this long, so a backlog never holds the sweeper (or a shutdown) long.
constexpr absl::Duration kSweepTimeBudget = absl::Milliseconds(250);

absl::Status TripNotFound() { return Error(reasons::kTripNotFound, "No such trip on sale."); }
absl::Status HoldNotFound() {
  return Error(reasons::kHoldNotFound, "No such hold: it was released, confirmed or has expired.");
}

// seats_unavailable from a store names the seats in its field errors (`seats[i]`); the
// problem document also lists them as `unavailable` (api.md).
absl::Status NameUnavailableSeats(absl::Status status, const std::vector<std::string>& seats) {
  if (!IsReason(status, reasons::kSeatsUnavailable)) return status;
  std::vector<std::string> labels;
  for (const FieldError& error : FieldErrorsOf(status)) {
    size_t index = 0;
    if (absl::StartsWith(error.field, "seats[") && error.field.back() == ']' &&
        absl::SimpleAtoi(error.field.substr(6, error.field.size() - 7), &index) &&
        index < seats.size()) {
      labels.push_back(seats[index]);
    }
  }
  return WithProblemList(std::move(status), {"unavailable", labels});
}

// What a seat event says of `seats` on `journey`: the journey by station and by leg.
SeatsChanged ChangeOf(std::vector<std::string> seats, const TripListing& listing,
                      const Journey& journey) {
  return SeatsChanged{.hold_id = "",
                      .booking_id = "",
                      .seats = std::move(seats),
                      .from = listing.offer.seats.stops[static_cast<size_t>(journey.from)],
                      .to = listing.offer.seats.stops[static_cast<size_t>(journey.to)],
                      .from_leg = journey.from,
                      .to_leg = journey.to};
}

}  // namespace

// How many trips' listings a process keeps at most (a few KiB each).
constexpr size_t kMostListingsCached = 100'000;

InventoryService::InventoryService(Ports ports, InventorySettings settings)
    : ports_(std::move(ports)), settings_(settings) {}

absl::StatusOr<std::shared_ptr<const TripListing>> InventoryService::Listing(
    const std::string& trip_id) {
  const absl::Time now = ports_.clock.Now();
  {
    std::lock_guard lock(cache_mutex_);
    auto it = cache_.find(trip_id);
    if (it != cache_.end() && now - it->second.read_at < settings_.listing_cache_ttl) {
      return it->second.listing;
    }
  }
  TRAVIO_ASSIGN_OR_RETURN(std::optional<TripListing> found, ports_.trips.Find(trip_id));
  if (!found) return TripNotFound();
  return Remember(trip_id, std::make_shared<const TripListing>(*std::move(found)), now,
                  /*from_database=*/true);
}

std::shared_ptr<const TripListing> InventoryService::Remember(
    const std::string& trip_id, std::shared_ptr<const TripListing> listing, absl::Time read_at,
    bool from_database) {
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() > kMostListingsCached) {
    // Bounded; trips are read back on demand. What came by event and the database has not yet
    // stays: dropped, a cancelled trip would be read back on sale.
    std::erase_if(cache_, [](const auto& entry) { return !entry.second.ahead_of_database; });
    if (cache_.size() > kMostListingsCached) cache_.clear();
  }
  CachedListing& cached = cache_[trip_id];
  // A newer version came by event while the replica storing it has not yet (or the database
  // was read before it did): the event's stands.
  if (cached.listing && cached.listing->offer.catalog_version > listing->offer.catalog_version) {
    return cached.listing;
  }
  cached = CachedListing{
      .listing = std::move(listing), .read_at = read_at, .ahead_of_database = !from_database};
  return cached.listing;
}

void InventoryService::OnTripSeen(const catalog::PublishedTrip& trip) {
  absl::StatusOr<TripListing> listing = ListingOf(trip);
  if (!listing.ok()) {
    // Not sellable (OnTripChanged says why): read back from the database when next asked,
    // unless what is cached is newer than this event.
    std::lock_guard lock(cache_mutex_);
    auto cached = cache_.find(trip.id);
    if (cached != cache_.end() && cached->second.listing->offer.catalog_version <= trip.version) {
      cache_.erase(cached);
    }
    return;
  }
  Remember(trip.id, std::make_shared<const TripListing>(*std::move(listing)), ports_.clock.Now(),
           /*from_database=*/false);
}

absl::Status InventoryService::LoadTrip(const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(trip_id));
  TRAVIO_ASSIGN_OR_RETURN(std::vector<BookingRecord> bookings, ports_.bookings.Bookings(trip_id));
  return ports_.holds.LoadTrip(listing->offer.seats, bookings);
}

absl::Status InventoryService::OnTrip(const std::string& trip_id,
                                      const std::function<absl::Status()>& operation) {
  absl::Status status = operation();
  // The hold store can lose a trip again between loading it and the retry (a second Redis
  // flush or failover racing the first reload): a few loads, then the caller hears of it.
  for (int load = 0; load < 3 && IsReason(status, reasons::kTripNotLoaded); ++load) {
    TRAVIO_RETURN_IF_ERROR(LoadTrip(trip_id));
    status = operation();
  }
  return status;
}

absl::StatusOr<Journey> InventoryService::JourneyOf(const TripListing& listing,
                                                    const std::string& from,
                                                    const std::string& to) const {
  const TripSeats& seats = listing.offer.seats;
  if (from.empty() && to.empty()) return Journey{0, static_cast<int>(seats.stops.size()) - 1};
  return JourneyBetween(seats, from, to);
}

absl::Status InventoryService::CheckSeats(const TripListing& listing,
                                          const std::vector<std::string>& seats,
                                          int max_seats) const {
  if (max_seats > 0 && static_cast<int>(seats.size()) > max_seats) {
    return Error(reasons::kHoldLimit, absl::StrCat("At most ", max_seats, " seats per hold."));
  }
  std::map<std::string, const Place*> places;
  for (const Place& place : listing.offer.seats.places) places[place.label] = &place;
  std::vector<FieldError> invalid;
  std::vector<FieldError> off_sale;
  std::vector<std::string> off_sale_labels;
  std::set<std::string> seen;
  if (seats.empty()) invalid.push_back({"seats", "at least one seat"});
  for (size_t i = 0; i < seats.size(); ++i) {
    const std::string field = absl::StrCat("seats[", i, "]");
    auto it = places.find(seats[i]);
    if (it == places.end()) {
      invalid.push_back({field, "no such seat on this trip"});
    } else if (!seen.insert(seats[i]).second) {
      invalid.push_back({field, "named twice"});
    } else if (!it->second->sellable) {
      off_sale.push_back({field, seats[i] + " is not for sale"});
      off_sale_labels.push_back(seats[i]);
    }
  }
  if (!invalid.empty()) {
    return WithFieldErrors(Error(reasons::kInvalidSeats, "Some seats are not valid."), invalid);
  }
  if (!off_sale.empty()) {
    return WithProblemList(
        WithFieldErrors(Error(reasons::kSeatsUnavailable,
                              absl::StrCat("Not available for this journey: ",
                                           absl::StrJoin(off_sale_labels, ", "), ".")),
                        off_sale),
        {"unavailable", off_sale_labels});
  }
  return absl::OkStatus();
}

absl::StatusOr<HoldRecord> InventoryService::PlaceHold(
    const TripListing& listing, const std::string& holder, const std::vector<std::string>& seats,
    const Journey& journey, std::vector<SeatPrice> prices, absl::Duration ttl,
    const HoldLimits& limits) {
  const HoldRecord request{.trip_id = listing.offer.seats.trip_id,
                           .org_id = listing.offer.org_id,
                           .hold = {.id = ports_.ids.NewId(),
                                    .holder = holder,
                                    .seats = seats,
                                    .journey = journey,
                                    .expires_at = absl::InfinitePast(),
                                    .version = 1},
                           .prices = std::move(prices)};
  HoldRecord held;
  const absl::Status status = OnTrip(request.trip_id, [&]() -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(held, ports_.holds.Hold(request, ttl, limits));
    return absl::OkStatus();
  });
  if (!status.ok()) return NameUnavailableSeats(status, seats);
  return held;
}

absl::StatusOr<HoldView> InventoryService::HoldSeats(const HoldCommand& command) {
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(command.trip_id));
  const TripOffer& offer = listing->offer;
  if (!offer.on_sale) {
    return Error(reasons::kNotOnSale,
                 "The trip is not on sale (cancelled, departed or not published).");
  }
  TRAVIO_ASSIGN_OR_RETURN(Journey journey, JourneyOf(*listing, command.from, command.to));
  TRAVIO_RETURN_IF_ERROR(CheckSeats(*listing, command.seats, settings_.limits.max_seats));
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SeatPrice> prices, Quote(offer, journey, command.seats));
  if (ports_.pricing != nullptr) {
    // The price is frozen now, from the rules in force and the sale as it stands before this
    // hold: what a quote at the same moment shows.
    TRAVIO_ASSIGN_OR_RETURN(auto claims, ClaimsOn(command.trip_id, journey));
    // Seats already taken are refused before they are priced: in a drop most requests lose,
    // and losing should cost least. The ledger still decides, under its lock, below. (So a
    // holder at its hold limit asking for taken seats hears that they are taken, 409, before
    // that it holds too many, 429.)
    TRAVIO_RETURN_IF_ERROR(
        NameUnavailableSeats(RefuseTakenSeats(command.seats, claims), command.seats));
    TRAVIO_ASSIGN_OR_RETURN(
        pricing::PriceResult priced,
        PriceWithRules(*listing, journey, prices, claims,
                       static_cast<int64_t>(command.seats.size()), std::nullopt));
    for (size_t i = 0; i < prices.size(); ++i) {
      prices[i].amount = priced.seats[i].price;
      for (const pricing::AppliedRule& rule : priced.seats[i].applied) {
        prices[i].rules.push_back({rule.rule_id, rule.version});
      }
    }
  }
  TRAVIO_ASSIGN_OR_RETURN(HoldRecord held,
                          PlaceHold(*listing, command.holder, command.seats, journey,
                                    std::move(prices), settings_.hold_ttl, settings_.limits));
  HoldView view = ViewOf(held, *listing);
  SeatsChanged placed = ChangeOf(held.hold.seats, *listing, journey);
  placed.hold_id = held.hold.id;
  placed.expires_at = held.hold.expires_at;
  Announce(SeatEvent(kHoldPlaced, held.trip_id, held.org_id, placed));
  return view;
}

absl::StatusOr<TripQuote> InventoryService::QuoteSeats(const QuoteCommand& command) {
  // A quote previews the next day at most: rules set to start later are the operator's own
  // business until then.
  const absl::Time now = ports_.clock.Now();
  if (command.at && (*command.at < now - absl::Minutes(5) || *command.at > now + absl::Hours(24))) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The quote's moment is out of range."),
                           {{"at", "must be within the next 24 hours"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(command.trip_id));
  const TripOffer& offer = listing->offer;
  TRAVIO_ASSIGN_OR_RETURN(Journey journey, JourneyOf(*listing, command.from, command.to));
  std::vector<SeatPrice> base;
  if (command.seats.empty()) {
    // Every seat for sale whose category has a fare for the journey.
    for (const Place& place : offer.seats.places) {
      if (!place.sellable) continue;
      absl::StatusOr<std::vector<SeatPrice>> one = Quote(offer, journey, {place.label});
      if (IsReason(one.status(), reasons::kJourneyNotSold)) continue;
      TRAVIO_RETURN_IF_ERROR(one.status());
      base.push_back(one->front());
    }
    if (base.empty()) {
      return Error(reasons::kJourneyNotSold, "No seat of this trip is sold for the journey.");
    }
  } else {
    TRAVIO_RETURN_IF_ERROR(CheckSeats(*listing, command.seats, /*max_seats=*/0));
    TRAVIO_ASSIGN_OR_RETURN(base, Quote(offer, journey, command.seats));
  }
  TRAVIO_ASSIGN_OR_RETURN(auto claims, ClaimsOn(command.trip_id, journey));
  const std::vector<std::string>& stops = offer.seats.stops;
  TripQuote quote{.trip_id = command.trip_id,
                  .from = stops[static_cast<size_t>(journey.from)],
                  .to = stops[static_cast<size_t>(journey.to)],
                  .currency = base.front().currency,
                  .at = command.at.value_or(ports_.clock.Now()),
                  .seats = {}};
  std::vector<pricing::SeatQuote> quotes;
  if (ports_.pricing != nullptr) {
    // Seats quoted together are priced as a hold of them would be (group rules read
    // `passengers`); the whole map, seat by seat.
    const auto passengers = static_cast<int64_t>(command.seats.empty() ? 1 : command.seats.size());
    TRAVIO_ASSIGN_OR_RETURN(
        pricing::PriceResult priced,
        PriceWithRules(*listing, journey, base, claims, passengers, command.at));
    quote.at = priced.at;
    quotes = std::move(priced.seats);
  } else {
    for (const SeatPrice& price : base) {
      quotes.push_back({.seat = price.seat, .base = price.base, .price = price.amount});
    }
  }
  for (size_t i = 0; i < base.size(); ++i) {
    for (const Place& place : offer.seats.places) {
      if (place.label == base[i].seat) quotes[i].category = place.category;
    }
    quote.seats.push_back(
        {.quote = std::move(quotes[i]), .available = !claims.contains(base[i].seat)});
  }
  return quote;
}

absl::StatusOr<std::map<std::string, SeatStatus>> InventoryService::ClaimsOn(
    const std::string& trip_id, const Journey& journey) {
  std::map<std::string, SeatStatus> claims;
  TRAVIO_RETURN_IF_ERROR(OnTrip(trip_id, [&]() -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(claims, ports_.holds.Claims(trip_id, journey));
    return absl::OkStatus();
  }));
  return claims;
}

absl::StatusOr<pricing::PriceResult> InventoryService::PriceWithRules(
    const TripListing& listing, const Journey& journey, const std::vector<SeatPrice>& base,
    const std::map<std::string, SeatStatus>& claims, int64_t passengers,
    std::optional<absl::Time> at) {
  const TripOffer& offer = listing.offer;
  const TripTerms& terms = offer.terms;
  const auto boarding = static_cast<size_t>(journey.from);
  // Occupancy: the share of the journey's seats for sale that are sold or held.
  int64_t for_sale = 0;
  int64_t taken = 0;
  std::map<std::string, const Place*> places;
  for (const Place& place : offer.seats.places) {
    places[place.label] = &place;
    auto claim = claims.find(place.label);
    if (!place.sellable || (claim != claims.end() && claim->second == SeatStatus::kBlocked)) {
      continue;
    }
    ++for_sale;
    if (claim != claims.end()) ++taken;
  }
  pricing::PriceRequest request{
      .org_id = offer.org_id,
      .trip =
          pricing::TripFacts{
              .id = offer.seats.trip_id,
              .route_id = terms.route_id,
              .departure =
                  boarding < terms.departs.size() ? terms.departs[boarding] : absl::UnixEpoch(),
              .bus_class = terms.bus_class,
              .ac = terms.ac,
              .zone = boarding < terms.zones.size() ? terms.zones[boarding] : std::string()},
      .journey = pricing::JourneyFacts{.from = offer.seats.stops[boarding],
                                       .to = offer.seats.stops[static_cast<size_t>(journey.to)],
                                       .legs = journey.to - journey.from},
      .occupancy = for_sale == 0 ? 0 : taken * 100 / for_sale,
      .passengers = passengers,
      .at = at,
      .currency = base.empty() ? std::string() : base.front().currency,
      .seats = {}};
  for (const SeatPrice& price : base) {
    const Place* place = places[price.seat];
    request.seats.push_back(pricing::SeatFacts{.label = price.seat,
                                               .category = place ? place->category : "",
                                               .deck = place ? place->deck : 1,
                                               .base = price.base});
  }
  TRAVIO_ASSIGN_OR_RETURN(pricing::PriceResult priced, ports_.pricing->PriceSeats(request));
  // What pricing answers is frozen into holds and charged: it must be the seats asked, in
  // order, at prices that can be charged.
  if (priced.seats.size() != base.size()) {
    return absl::InternalError("pricing answered for other seats than asked");
  }
  for (size_t i = 0; i < base.size(); ++i) {
    if (priced.seats[i].seat != base[i].seat || priced.seats[i].price < 0) {
      return absl::InternalError("pricing answered with another seat or a negative price");
    }
  }
  return priced;
}

absl::StatusOr<HoldView> InventoryService::GetHold(const std::string& holder,
                                                   const std::string& hold_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<HoldRecord> found, ports_.holds.FindHold(hold_id));
  // Expired holds are gone for their holder too: they block nothing and cannot be bought.
  if (!found || found->hold.holder != holder || ports_.clock.Now() >= found->hold.expires_at) {
    return HoldNotFound();
  }
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(found->trip_id));
  return ViewOf(*found, *listing);
}

absl::Status InventoryService::ReleaseHold(const std::string& holder, const std::string& hold_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<HoldRecord> found, ports_.holds.FindHold(hold_id));
  if (!found || found->hold.holder != holder) return HoldNotFound();
  TRAVIO_RETURN_IF_ERROR(
      OnTrip(found->trip_id, [&] { return ports_.holds.Release(found->trip_id, hold_id); }));
  if (auto listing = Listing(found->trip_id); listing.ok()) {
    SeatsChanged released = ChangeOf(found->hold.seats, **listing, found->hold.journey);
    released.hold_id = hold_id;
    Announce(SeatEvent(kHoldReleased, found->trip_id, found->org_id, released));
  }
  return absl::OkStatus();
}

absl::StatusOr<BookingRecord> InventoryService::Book(const HoldRecord& held, bool blocked) {
  const std::string booking_id = ports_.ids.NewId();
  TRAVIO_RETURN_IF_ERROR(OnTrip(held.trip_id, [&] {
    return ports_.holds.Confirm(held.trip_id, held.hold.id, held.hold.version, booking_id, blocked);
  }));
  BookingRecord record{.id = booking_id,
                       .trip_id = held.trip_id,
                       .org_id = held.org_id,
                       .hold_id = held.hold.id,
                       .seats = held.hold.seats,
                       .journey = held.hold.journey,
                       .prices = blocked ? std::vector<SeatPrice>{} : held.prices,
                       .created_at = ports_.clock.Now(),
                       .blocked = blocked};
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(held.trip_id));
  SeatsChanged booked_seats = ChangeOf(record.seats, *listing, record.journey);
  booked_seats.booking_id = booking_id;
  booked_seats.hold_id = held.hold.id;
  const events::Event event =
      SeatEvent(blocked ? kSeatsBlocked : kBookingCreated, held.trip_id, held.org_id, booked_seats);
  absl::StatusOr<BookingRecord> booked = ports_.bookings.Book(record, {event});
  if (!booked.ok() && !IsReason(booked.status(), reasons::kSeatsUnavailable)) {
    // Not a refusal: the commit may have happened (a reply lost). The database says.
    absl::StatusOr<std::optional<BookingRecord>> found =
        ports_.bookings.FindByHold(held.trip_id, held.hold.id);
    if (found.ok() && *found) {
      ShowBooked(**found);
      return **found;
    }
  }
  if (!booked.ok()) {
    // Refused (a seat-leg sold while the hot state had lost it), or not written: give the legs
    // back in the hot state, and name the seats.
    const absl::Status freed =
        ports_.holds.Free(held.trip_id, booking_id, record.seats, record.journey);
    if (!freed.ok() && !IsReason(freed, reasons::kTripNotLoaded)) {
      ports_.logger.Warn("hold store kept legs of a refused booking",
                         {{"trip_id", held.trip_id}, {"error", freed.ToString()}});
    }
    return NameUnavailableSeats(booked.status(), record.seats);
  }
  ShowBooked(*booked);
  return booked;
}

void InventoryService::ShowBooked(const BookingRecord& booking) {
  // A flush between Confirm and the commit loses the sale from the hot state, and a reload in
  // that window (here or in another replica, perhaps still writing) reads the database
  // without it: the seats would be offered again until the next reload. Put back when
  // missing; a trip the store does not hold is loaded here, after the commit.
  bool changed = false;
  absl::Status shown = absl::OkStatus();
  for (int attempt = 0; attempt < 2; ++attempt) {
    shown = OnTrip(booking.trip_id, [&]() -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(changed, ports_.holds.EnsureBooked(booking));
      return absl::OkStatus();
    });
    if (shown.ok()) break;
  }
  if (!shown.ok()) {
    ports_.logger.Warn("hold store did not take a committed booking; reloading the trip",
                       {{"trip_id", booking.trip_id}, {"error", shown.ToString()}});
    const absl::Status dropped = ports_.holds.DropTrip(booking.trip_id);
    if (!dropped.ok()) {
      ports_.logger.Warn("hold store could not drop the trip",
                         {{"trip_id", booking.trip_id}, {"error", dropped.ToString()}});
    }
    return;
  }
  if (!changed) return;
  // Put back late: a cancellation may have committed, and freed the seats, meanwhile. Seats
  // it freed before the database is read here are freed again; one freed after frees them
  // itself, after this.
  absl::StatusOr<std::optional<BookingRecord>> now =
      ports_.bookings.Find(booking.trip_id, booking.id);
  if (!now.ok()) return;
  std::vector<std::string> gone;
  for (const std::string& seat : booking.seats) {
    if (!*now ||
        std::find((*now)->seats.begin(), (*now)->seats.end(), seat) == (*now)->seats.end()) {
      gone.push_back(seat);
    }
  }
  if (gone.empty()) return;
  const absl::Status freed = ports_.holds.Free(booking.trip_id, booking.id, gone, booking.journey);
  if (!freed.ok() && !IsReason(freed, reasons::kTripNotLoaded)) {
    ports_.logger.Warn("hold store kept seats of a cancelled booking",
                       {{"trip_id", booking.trip_id}, {"error", freed.ToString()}});
  }
}

absl::StatusOr<BookingRecord> InventoryService::ConfirmHold(const std::string& holder,
                                                            const std::string& trip_id,
                                                            const std::string& hold_id,
                                                            int64_t version) {
  auto already = [&]() -> absl::StatusOr<std::optional<BookingRecord>> {
    return ports_.bookings.FindByHold(trip_id, hold_id);
  };
  // A retried confirmation (the caller crashed after the first) gets the same booking, shown
  // in the hot state (the first may have lost it there).
  TRAVIO_ASSIGN_OR_RETURN(std::optional<BookingRecord> booked, already());
  if (booked) {
    ShowBooked(*booked);
    return *std::move(booked);
  }
  TRAVIO_ASSIGN_OR_RETURN(std::optional<HoldRecord> found, ports_.holds.FindHold(hold_id));
  if (!found || found->hold.holder != holder || found->trip_id != trip_id) return HoldNotFound();
  HoldRecord fenced = *found;
  fenced.hold.version = version;
  absl::StatusOr<BookingRecord> result = Book(fenced, /*blocked=*/false);
  if (IsReason(result.status(), reasons::kHoldNotFound)) {
    // A racing confirmation of the same hold won: answer with its booking.
    TRAVIO_ASSIGN_OR_RETURN(booked, already());
    if (booked) return *std::move(booked);
  }
  return result;
}

absl::StatusOr<BookingRecord> InventoryService::CancelBooking(
    const std::string& trip_id, const std::string& booking_id,
    const std::vector<std::string>& seats) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<BookingRecord> found,
                          ports_.bookings.Find(trip_id, booking_id));
  if (!found) return Error(reasons::kBookingNotFound, "No such booking.");
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(trip_id));
  const std::vector<std::string> freed = seats.empty() ? found->seats : seats;
  SeatsChanged freed_seats = ChangeOf(freed, *listing, found->journey);
  freed_seats.booking_id = booking_id;
  const events::Event event = SeatEvent(found->blocked ? kSeatsUnblocked : kBookingCancelled,
                                        trip_id, found->org_id, freed_seats);
  TRAVIO_ASSIGN_OR_RETURN(BookingRecord before,
                          ports_.bookings.Cancel(trip_id, booking_id, seats, {event}));
  // The database is right from here on; a hot store that cannot follow reloads the trip.
  const absl::Status hot = OnTrip(
      trip_id, [&] { return ports_.holds.Free(trip_id, booking_id, freed, before.journey); });
  if (!hot.ok()) {
    ports_.logger.Warn("hold store did not free cancelled seats; reloading the trip",
                       {{"trip_id", trip_id}, {"error", hot.ToString()}});
    TRAVIO_RETURN_IF_ERROR(ports_.holds.DropTrip(trip_id));
  }
  return before;
}

absl::StatusOr<BookingRecord> InventoryService::BlockSeats(const std::string& org_id,
                                                           const std::string& trip_id,
                                                           const std::vector<std::string>& seats,
                                                           const std::string& from,
                                                           const std::string& to) {
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(trip_id));
  if (listing->offer.org_id != org_id) return TripNotFound();
  TRAVIO_ASSIGN_OR_RETURN(Journey journey, JourneyOf(*listing, from, to));
  TRAVIO_RETURN_IF_ERROR(CheckSeats(*listing, seats, /*max_seats=*/0));
  TRAVIO_ASSIGN_OR_RETURN(
      HoldRecord held,
      PlaceHold(*listing, "org:" + org_id, seats, journey, {}, kBlockHoldTtl,
                HoldLimits{.max_seats = static_cast<int>(seats.size()), .max_holds = 1'000'000}));
  return Book(held, /*blocked=*/true);
}

absl::Status InventoryService::UnblockSeats(const std::string& org_id, const std::string& trip_id,
                                            const std::string& block_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<BookingRecord> found,
                          ports_.bookings.Find(trip_id, block_id));
  if (!found || !found->blocked || found->org_id != org_id || found->seats.empty()) {
    return Error(reasons::kBlockNotFound, "No such block.");
  }
  return CancelBooking(trip_id, block_id, {}).status();
}

absl::StatusOr<TripBlocks> InventoryService::ListBlocks(const std::string& org_id,
                                                        const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(trip_id));
  if (listing->offer.org_id != org_id) return TripNotFound();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<BookingRecord> bookings, ports_.bookings.Bookings(trip_id));
  TripBlocks out{.blocks = {}, .stops = listing->offer.seats.stops};
  for (BookingRecord& booking : bookings) {
    if (booking.blocked && booking.org_id == org_id && !booking.seats.empty()) {
      out.blocks.push_back(std::move(booking));
    }
  }
  std::sort(out.blocks.begin(), out.blocks.end(), [](const auto& a, const auto& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  return out;
}

absl::StatusOr<SeatMap> InventoryService::GetSeatMap(const std::string& trip_id,
                                                     const std::string& from,
                                                     const std::string& to) {
  TRAVIO_ASSIGN_OR_RETURN(auto listing, Listing(trip_id));
  TRAVIO_ASSIGN_OR_RETURN(Journey journey, JourneyOf(*listing, from, to));
  std::map<std::string, SeatStatus> claims;
  TRAVIO_RETURN_IF_ERROR(OnTrip(trip_id, [&]() -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(claims, ports_.holds.Claims(trip_id, journey));
    return absl::OkStatus();
  }));
  TRAVIO_ASSIGN_OR_RETURN(fleet::SeatLayout layout,
                          fleet::LayoutFromDocument(listing->layout_json));
  const std::vector<std::string>& stops = listing->offer.seats.stops;
  SeatMap map{.trip_id = trip_id,
              .from = stops[static_cast<size_t>(journey.from)],
              .to = stops[static_cast<size_t>(journey.to)],
              .available = 0,
              .decks = {}};
  for (const fleet::Deck& deck : layout.decks) {
    SeatMapDeck out{.name = deck.name, .rows = deck.rows, .cols = deck.cols, .cells = {}};
    for (const fleet::Cell& cell : deck.cells) {
      SeatMapCell drawn{.row = cell.row,
                        .col = cell.col,
                        .type = std::string(fleet::CellTypeName(cell.type)),
                        .label = cell.label,
                        .category = cell.sittable() ? cell.category : "",
                        .status = ""};
      if (cell.sittable()) {
        SeatStatus status = cell.sellable() ? SeatStatus::kAvailable : SeatStatus::kBlocked;
        if (auto claim = claims.find(cell.label); claim != claims.end() && cell.sellable()) {
          status = claim->second;
        }
        if (status == SeatStatus::kAvailable) ++map.available;
        drawn.status = std::string(SeatStatusName(status));
      }
      out.cells.push_back(std::move(drawn));
    }
    map.decks.push_back(std::move(out));
  }
  return map;
}

absl::Status InventoryService::OnTripChanged(const catalog::PublishedTrip& trip) {
  absl::StatusOr<TripListing> listing = ListingOf(trip);
  if (!listing.ok()) {
    ports_.logger.Error("dropped a trip inventory cannot sell",
                        {{"trip_id", trip.id}, {"error", listing.status().ToString()}});
    return absl::OkStatus();
  }
  const std::string& trip_id = listing->offer.seats.trip_id;
  TRAVIO_ASSIGN_OR_RETURN(std::optional<TripListing> before, ports_.trips.Find(trip_id));
  TRAVIO_ASSIGN_OR_RETURN(bool stored, ports_.trips.Put(*listing));
  if (!stored) return absl::OkStatus();  // replayed or older than what we hold
  Remember(trip_id, std::make_shared<const TripListing>(*listing), ports_.clock.Now(),
           /*from_database=*/true);
  const bool seats_changed = before && (before->offer.seats.stops != listing->offer.seats.stops ||
                                        before->layout_json != listing->layout_json);
  if (!listing->offer.on_sale || seats_changed) {
    // Cancelled or gone: every hold is released. Bookings stay (orders refund them).
    TRAVIO_RETURN_IF_ERROR(ports_.holds.DropTrip(trip_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> InventoryService::SweepExpiredHolds() {
  const int batch = std::max(1, settings_.sweep_batch);
  const absl::Time started = ports_.clock.Now();
  int total = 0;
  for (int round = 0; round < kMostSweepBatches; ++round) {
    if (ports_.clock.Now() - started > kSweepTimeBudget) break;
    TRAVIO_ASSIGN_OR_RETURN(std::vector<HoldRecord> swept, ports_.holds.SweepExpired(batch));
    for (const HoldRecord& record : swept) {
      auto listing = Listing(record.trip_id);
      if (!listing.ok()) continue;
      SeatsChanged expired = ChangeOf(record.hold.seats, **listing, record.hold.journey);
      expired.hold_id = record.hold.id;
      Announce(SeatEvent(kHoldExpired, record.trip_id, record.org_id, expired));
    }
    total += static_cast<int>(swept.size());
    if (static_cast<int>(swept.size()) < batch) break;
  }
  return total;
}

HoldView InventoryService::ViewOf(const HoldRecord& record, const TripListing& listing) const {
  const std::vector<std::string>& stops = listing.offer.seats.stops;
  HoldView view{.hold_id = record.hold.id,
                .trip_id = record.trip_id,
                .org_id = record.org_id,
                .holder = record.hold.holder,
                .seats = record.hold.seats,
                .from = stops[static_cast<size_t>(record.hold.journey.from)],
                .to = stops[static_cast<size_t>(record.hold.journey.to)],
                .expires_at = record.hold.expires_at,
                .version = record.hold.version,
                .prices = record.prices,
                .total = {}};
  for (const SeatPrice& price : record.prices) {
    view.total.amount += price.amount;
    view.total.currency = price.currency;
  }
  return view;
}

events::Event InventoryService::SeatEvent(const events::Contract<SeatsChanged>& contract,
                                          const std::string& trip_id, const std::string& org_id,
                                          const SeatsChanged& change) const {
  return contract.Make(change, {.id = ports_.ids.NewId(),
                                .aggregate_id = trip_id,
                                .org_id = org_id,
                                .occurred_at = ports_.clock.Now(),
                                .trace_id = ""});
}

void InventoryService::Announce(const events::Event& event) {
  // Holds live in hot state, outside any transaction: their events are written after the
  // change. Losing one costs a browser's seat map a refresh, never a seat.
  if (const absl::Status status = ports_.events.Append(event); !status.ok()) {
    ports_.logger.Warn("could not write a seat event",
                       {{"type", event.type}, {"error", status.ToString()}});
  }
}

void FollowTrips(events::Bus& bus, const std::shared_ptr<InventoryService>& service) {
  for (const auto* contract : catalog::kTripEvents) {
    events::Subscribe<catalog::PublishedTrip>(
        bus, "inventory", *contract, service->logger(),
        [service](const events::Event&, const catalog::PublishedTrip& trip) {
          return service->OnTripChanged(trip);
        });
    events::Subscribe<catalog::PublishedTrip>(
        bus, "inventory-listings", *contract, service->logger(),
        [service](const events::Event&, const catalog::PublishedTrip& trip) {
          service->OnTripSeen(trip);
          return absl::OkStatus();
        });
  }
  bus.SetDelivery("inventory-listings", events::Delivery::kEveryInstance);
}

}  // namespace travio::inventory
