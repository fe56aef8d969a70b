#include "services/search/app/search_service.h"

#include <algorithm>
#include <limits>
#include <map>
#include <memory>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
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

namespace {

// Whether every day of `days` is one of `window`'s.
bool OnlyIn(const DayRange& days, const DayRange& window) {
  return window.Contains(days.first) && window.Contains(days.last);
}

// `day` (YYYY-MM-DD) moved by `days`; empty when it does not read as a day.
std::string DayPlus(const std::string& day, int days) {
  absl::CivilDay civil;
  if (!absl::ParseCivilTime(day, &civil)) return "";
  return absl::FormatCivilTime(civil + days);
}

// Trips brought into memory for an event, beyond the days kept, before they are let go again.
constexpr int kMaxVisitors = 1000;
// Days not in memory that were searched, kept a little while: a popular far date (the Eid
// weekend, searched before its sales open) is read from the snapshot once, not per search.
// A change to one of their trips forgets them at once; the lifetime bounds what a change
// that went unseen (a trip moved from one such day to another) can leave.
constexpr size_t kOtherDaysKept = 8;
constexpr absl::Duration kOtherDayLifetime = absl::Seconds(30);
// How soon a move of the days in memory that failed (the snapshot unreachable) is tried again.
constexpr absl::Duration kMoveRetry = absl::Seconds(30);
// A search answered on the gateway's I/O thread (AnswersFromMemory): at most this many trips
// boarding that day (each matched and priced), and the days in memory good for this long yet.
constexpr size_t kMaxTripsAnsweredAtOnce = 100;
constexpr int64_t kAnswerMarginUs = 1'000'000;

absl::Status WouldWait() {
  return Error(reasons::kWouldWait, "This search needs more than memory holds.");
}

}  // namespace

DayRange SearchService::WindowAt(absl::Time now) const {
  // Dates are local to the stops: a day either side of UTC's covers every time zone.
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  return DayRange{absl::FormatCivilTime(today - 1),
                  absl::FormatCivilTime(today + ports_.settings.memory_days + 1)};
}

absl::Status SearchService::Restore() {
  absl::MutexLock lock(&residency_);
  const absl::Time now = ports_.clock.Now();
  resident_ = WindowAt(now);
  TRAVIO_ASSIGN_OR_RETURN(Snapshot snapshot, ports_.snapshots.Load(resident_));
  KeepUntilTheDayChanges(now);
  for (const StationEntry& station : snapshot.stations) stations_.Upsert(station);
  Admit(std::move(snapshot.trips));  // moved, not copied
  ports_.logger.Info("search read model restored",
                     {{"trips_in_memory", static_cast<int64_t>(trips_.size())},
                      {"first_day", resident_.first},
                      {"last_day", resident_.last},
                      {"stations", static_cast<int64_t>(snapshot.stations.size())}});
  return absl::OkStatus();
}

void SearchService::Admit(std::vector<StoredTrip> trips) {
  for (auto& [listing, claims] : trips) {
    // One already in memory is as new: events change memory first, then the snapshot.
    if (trips_.Contains(listing.trip_id)) continue;
    trips_.Add(std::move(listing), claims);
  }
}

absl::StatusOr<bool> SearchService::BringIn(const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<StoredTrip> stored, ports_.snapshots.LoadTrip(trip_id));
  if (!stored) return false;
  std::vector<StoredTrip> one;
  one.push_back(*std::move(stored));
  Admit(std::move(one));
  return true;
}

void SearchService::KeepUntilTheDayChanges(absl::Time now) {
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  window_from_us_ = absl::ToUnixMicros(absl::FromCivil(today, absl::UTCTimeZone()));
  window_until_us_ = absl::ToUnixMicros(absl::FromCivil(today + 1, absl::UTCTimeZone()));
}

absl::Status SearchService::MoveWindow() {
  const int64_t now_us = absl::ToUnixMicros(ports_.clock.Now());
  // The common case, without a lock: the same day as the last move, few visitors.
  if (window_from_us_ <= now_us && now_us < window_until_us_ && visitors_ < kMaxVisitors) {
    return absl::OkStatus();
  }
  absl::MutexLock lock(&residency_);
  // The clock read again under the lock: a thread that waited for it must not move the days
  // back to those of the moment it started waiting.
  const absl::Time locked_at = ports_.clock.Now();
  const DayRange wanted = WindowAt(locked_at);
  if (resident_ == wanted && visitors_ < kMaxVisitors) {  // moved meanwhile by another thread
    KeepUntilTheDayChanges(locked_at);
    return absl::OkStatus();
  }
  // The days that entered: those after the last one kept, or all of them after a jump.
  DayRange entered = wanted;
  if (resident_.Contains(wanted.first)) entered.first = DayPlus(resident_.last, 1);
  if (!entered.first.empty() && entered.first <= entered.last) {
    absl::StatusOr<std::vector<StoredTrip>> trips = ports_.snapshots.LoadBoarding(entered);
    if (!trips.ok()) {
      // Memory keeps answering the days it holds (a database outage must not stop searches
      // it can serve); the move is tried again in a while.
      ports_.logger.Warn("search days in memory not moved; trying again in 30 s",
                         {{"error", trips.status().ToString()}});
      window_from_us_ = absl::ToUnixMicros(locked_at);
      window_until_us_ = absl::ToUnixMicros(locked_at + kMoveRetry);
      return absl::OkStatus();
    }
    Admit(*std::move(trips));
  }
  const size_t kept = trips_.KeepBoarding(wanted);
  ports_.logger.Info("search days in memory moved",
                     {{"first_day", wanted.first},
                      {"last_day", wanted.last},
                      {"trips_in_memory", static_cast<int64_t>(kept)}});
  resident_ = wanted;
  visitors_ = 0;
  KeepUntilTheDayChanges(locked_at);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Candidate>> SearchService::CandidatesFromSnapshot(
    const SearchQuery& query, absl::Time now) {
  std::shared_ptr<const TripIndex> day;
  uint64_t changes_before = 0;
  std::shared_future<DayRead> joined;
  std::optional<std::promise<DayRead>> reading;  // this request reads the day for all
  {
    std::lock_guard lock(other_days_mutex_);
    changes_before = other_days_changes_;
    auto it = other_days_.find(query.date);
    if (it != other_days_.end() && now - it->second.loaded_at < kOtherDayLifetime) {
      day = it->second.trips;
    } else if (auto load = other_days_loading_.find(query.date);
               load != other_days_loading_.end() && load->second.changes_before == changes_before) {
      joined = load->second.result;
    } else {
      reading.emplace();
      other_days_loading_[query.date] =
          DayLoad{.changes_before = changes_before, .result = reading->get_future().share()};
    }
  }
  if (day == nullptr) {
    DayRead read = joined.valid() ? joined.get() : ReadDay(query.date);
    if (reading) {
      {
        std::lock_guard lock(other_days_mutex_);
        // Ours unless a change since it began let a later request start another read (a request
        // arriving before any change joined this one instead).
        auto load = other_days_loading_.find(query.date);
        if (load != other_days_loading_.end() && load->second.changes_before == changes_before) {
          other_days_loading_.erase(load);
        }
        // Kept only when no trip of a day not in memory changed while it was read.
        if (read.ok() && other_days_changes_ == changes_before) {
          if (other_days_.size() >= kOtherDaysKept && !other_days_.contains(query.date)) {
            auto oldest = std::min_element(other_days_.begin(), other_days_.end(),
                                           [](const auto& a, const auto& b) {
                                             return a.second.loaded_at < b.second.loaded_at;
                                           });
            other_days_.erase(oldest);
          }
          other_days_[query.date] = OtherDay{.trips = *read, .loaded_at = now};
        }
      }
      reading->set_value(read);
    }
    if (!read.ok()) return read.status();
    day = *read;
  }
  return day->Candidates(query, now);
}

SearchService::DayRead SearchService::ReadDay(const std::string& date) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<StoredTrip> stored,
                          ports_.snapshots.LoadBoarding({date, date}));
  auto loaded = std::make_shared<TripIndex>();
  for (auto& [listing, claims] : stored) loaded->Add(std::move(listing), claims);
  return std::shared_ptr<const TripIndex>(std::move(loaded));
}

void SearchService::ForgetOtherDaysWith(const std::string& trip_id, const DayRange& boarding,
                                        bool only_in_memory_days) {
  std::lock_guard lock(other_days_mutex_);
  // A trip boarding on a day not in memory changed: a read of that day under way may predate
  // the change.
  if (!only_in_memory_days) ++other_days_changes_;
  std::erase_if(other_days_, [&](const auto& day) {
    return day.second.trips->Contains(trip_id) ||
           (!only_in_memory_days && boarding.Contains(day.first));
  });
}

std::optional<std::string> SearchService::KnownOperatorName(const std::string& org_id) {
  std::lock_guard lock(names_mutex_);
  auto it = operator_names_.find(org_id);
  if (it == operator_names_.end()) return std::nullopt;
  return it->second;
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

bool SearchService::AnswersFromMemory(const SearchQuery& query) {
  // With a margin: the days must need no move when the search runs, a moment later.
  const int64_t now_us = absl::ToUnixMicros(ports_.clock.Now());
  if (!(window_from_us_ <= now_us && now_us + kAnswerMarginUs < window_until_us_ &&
        visitors_ < kMaxVisitors)) {
    return false;
  }
  // Never waits: a move holds the lock while it reads the snapshot.
  if (!residency_.ReaderTryLock()) return false;
  std::optional<std::map<std::string, int>> operators;
  {
    absl::Cleanup unlock = [this] { residency_.ReaderUnlock(); };
    if (resident_.Contains(query.date)) {
      operators = trips_.TryOperatorsBoarding(query.from, query.date, kMaxTripsAnsweredAtOnce);
    }
  }
  if (!operators) return false;
  // Each operator's name known, and all their trips priced from memory within one budget.
  int64_t steps = 0;
  for (const auto& [org_id, trips] : *operators) {
    {
      std::lock_guard lock(names_mutex_);
      if (!operator_names_.contains(org_id)) return false;
    }
    if (ports_.pricing == nullptr) continue;
    const std::optional<int64_t> priced = ports_.pricing->StepsFromMemory(org_id, trips);
    if (!priced) return false;
    steps += *priced;
    if (steps > pricing::kStepsPricedFromMemory) return false;
  }
  return true;
}

absl::StatusOr<SearchResults> SearchService::Search(const SearchQuery& query) {
  return SearchIn(query, /*from_memory=*/false);
}

absl::StatusOr<SearchResults> SearchService::SearchFromMemory(const SearchQuery& query) {
  return SearchIn(query, /*from_memory=*/true);
}

absl::StatusOr<SearchResults> SearchService::SearchIn(const SearchQuery& query, bool from_memory) {
  const absl::Time now = ports_.clock.Now();
  if (!from_memory) {
    TRAVIO_RETURN_IF_ERROR(MoveWindow());
  } else if (const int64_t now_us = absl::ToUnixMicros(now);
             !(window_from_us_ <= now_us && now_us < window_until_us_)) {
    return WouldWait();  // the days must move first
  }
  std::vector<Candidate> candidates;
  // Only a date written as a day is one (the gateway checks; "2026-1-5" would read too).
  if (DayPlus(query.date, 0) == query.date) {
    bool in_memory = false;
    if (from_memory) {
      if (!residency_.ReaderTryLock()) return WouldWait();  // a move is reading the snapshot
      absl::Cleanup unlock = [this] { residency_.ReaderUnlock(); };
      if (!resident_.Contains(query.date)) return WouldWait();
      // Never waits for the index either, nor walks a day busier than an I/O thread's share.
      std::optional<std::vector<Candidate>> found =
          trips_.TryCandidates(query, now, kMaxTripsAnsweredAtOnce);
      if (!found) return WouldWait();
      candidates = *std::move(found);
      in_memory = true;
    } else {
      absl::ReaderMutexLock lock(&residency_);
      in_memory = resident_.Contains(query.date);
      if (in_memory) candidates = trips_.Candidates(query, now);
    }
    if (!in_memory) {
      TRAVIO_ASSIGN_OR_RETURN(candidates, CandidatesFromSnapshot(query, now));
    }
  }
  if (from_memory) {
    TRAVIO_RETURN_IF_ERROR(PriceWithRules(candidates, query, now, /*from_memory=*/true));
  } else {
    PriceWithRules(candidates, query, now, /*from_memory=*/false).IgnoreError();
  }
  std::vector<SearchHit> hits;
  hits.reserve(candidates.size());
  for (Candidate& candidate : candidates) hits.push_back(std::move(candidate.hit));
  TRAVIO_ASSIGN_OR_RETURN(SearchPage page, TripIndex::PageOf(std::move(hits), query));
  SearchResults results{.items = {}, .next_cursor = page.next_cursor};
  const StationEntry from =
      stations_.ByCode(query.from).value_or(StationEntry{query.from, query.from, ""});
  const StationEntry to = stations_.ByCode(query.to).value_or(StationEntry{query.to, query.to, ""});
  for (SearchHit& hit : page.items) {
    std::string name;
    if (from_memory) {
      std::optional<std::string> known = KnownOperatorName(hit.org_id);
      if (!known) return WouldWait();
      name = *std::move(known);
    } else {
      name = OperatorName(hit.org_id);
    }
    results.items.push_back(
        TripResult{.hit = std::move(hit), .operator_name = name, .from = from, .to = to});
  }
  return results;
}

absl::Status SearchService::PriceWithRules(std::vector<Candidate>& candidates,
                                           const SearchQuery& query, absl::Time now,
                                           bool from_memory) {
  if (ports_.pricing == nullptr) return absl::OkStatus();
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
    absl::StatusOr<std::vector<pricing::PriceResult>> results =
        from_memory ? ports_.pricing->PriceManyFromMemory(chunk, pricing::kStepsPricedFromMemory)
                    : ports_.pricing->PriceMany(chunk);
    if (from_memory && (!results.ok() || results->size() != count)) return WouldWait();
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
  return absl::OkStatus();
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
  TRAVIO_RETURN_IF_ERROR(MoveWindow());
  absl::ReaderMutexLock lock(&residency_);
  const DayRange boarding = BoardingDays(*listing);
  const bool in_memory_days = boarding.Overlaps(resident_);
  const bool only_in_memory_days = OnlyIn(boarding, resident_);
  if (!trips_.Contains(listing->trip_id)) {
    // Not in memory: one seat event at a time brings trips in (ChangeSeats), so this write
    // and such a read of the same trip cannot cross.
    std::lock_guard one_at_a_time(bringing_in_);
    if (!trips_.Contains(listing->trip_id)) {
      if (!in_memory_days) {
        // Of days not in memory: the snapshot alone, whose own version check keeps the newest.
        TRAVIO_RETURN_IF_ERROR(ports_.snapshots.PutTrip(*listing));
        ForgetOtherDaysWith(listing->trip_id, boarding, only_in_memory_days);
        return absl::OkStatus();
      }
      // Moved into the days in memory (or an old version delivered again): what the snapshot
      // knows of it comes first, its seats claimed and its newest version.
      TRAVIO_RETURN_IF_ERROR(BringIn(listing->trip_id).status());
    }
  }
  // Written to the snapshot even when memory had this version already: a delivery whose
  // write failed comes again, and its version check keeps the newest anyway.
  if (trips_.Upsert(*listing) && !in_memory_days) {
    ++visitors_;  // moved to days not kept: let go at the next move
  }
  TRAVIO_RETURN_IF_ERROR(ports_.snapshots.PutTrip(*listing));
  ForgetOtherDaysWith(listing->trip_id, boarding, only_in_memory_days);
  return absl::OkStatus();
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

absl::Status SearchService::ChangeSeats(const std::string& trip_id,
                                        const std::function<void()>& change) {
  TRAVIO_RETURN_IF_ERROR(MoveWindow());
  absl::ReaderMutexLock lock(&residency_);
  if (!trips_.Contains(trip_id)) {
    // A trip of a day not in memory visits it, so the change applies to its stored claims;
    // claims of a trip not stored at all wait in memory for the trip.
    std::lock_guard one_at_a_time(bringing_in_);
    if (!trips_.Contains(trip_id)) {
      TRAVIO_ASSIGN_OR_RETURN(bool visiting, BringIn(trip_id));
      if (visiting) ++visitors_;
    }
  }
  change();
  TRAVIO_RETURN_IF_ERROR(ports_.snapshots.PutClaims(trip_id, trips_.Claims(trip_id)));
  const DayRange boarding = trips_.BoardingDaysOf(trip_id);
  ForgetOtherDaysWith(trip_id, boarding, boarding.empty() || OnlyIn(boarding, resident_));
  return absl::OkStatus();
}

absl::Status SearchService::OnHoldPlaced(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  return ChangeSeats(trip_id, [&] { trips_.Claim(trip_id, change.hold_id, ClaimOf(change)); });
}

absl::Status SearchService::OnHoldEnded(const std::string& trip_id,
                                        const inventory::SeatsChanged& change) {
  return ChangeSeats(trip_id, [&] { trips_.EndClaim(trip_id, change.hold_id); });
}

absl::Status SearchService::OnSeatsTaken(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  return ChangeSeats(trip_id, [&] {
    trips_.EndClaim(trip_id, change.hold_id);
    SeatClaim claim = ClaimOf(change);
    claim.expires_at = absl::InfiniteFuture();
    trips_.Claim(trip_id, change.booking_id, claim);
  });
}

absl::Status SearchService::OnSeatsBlocked(const std::string& trip_id,
                                           const inventory::SeatsChanged& change) {
  return ChangeSeats(trip_id, [&] {
    SeatClaim claim = ClaimOf(change);
    claim.expires_at = absl::InfiniteFuture();
    claim.blocked = true;
    trips_.Claim(trip_id, change.booking_id, claim);
  });
}

absl::Status SearchService::OnSeatsFreed(const std::string& trip_id,
                                         const inventory::SeatsChanged& change) {
  return ChangeSeats(trip_id,
                     [&] { trips_.ReduceClaim(trip_id, change.booking_id, change.seats); });
}

void FollowEvents(events::Bus& bus, const std::shared_ptr<SearchService>& service) {
  const log::Logger& logger = service->logger();
  // Every replica keeps the index in its own memory, so each needs every event; the shared
  // queue keeps what happens while no replica runs. Each event may come twice, in any order
  // against later ones: trips go by version, ended holds and freed seats are remembered
  // (TripIndex), so a repeat changes nothing.
  bus.SetDelivery("search", events::Delivery::kEveryInstanceAndBacklog);
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
