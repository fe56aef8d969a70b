#include "services/search/domain/trip_index.h"

#include <algorithm>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/errors.h"

namespace travio::search {
namespace {

// How many ended claims a trip remembers (to ignore a late claim of an ended hold).
constexpr size_t kEndedMemory = 4096;

std::optional<absl::Time> ParseInstant(const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return std::nullopt;
  return time;
}

// "2026-12-20T22:30:00+06:00": the local date and minutes after midnight as written.
std::string LocalDate(const std::string& instant) { return instant.substr(0, 10); }
int LocalMinutes(const std::string& instant) {
  int hours = 0;
  int minutes = 0;
  if (instant.size() < 16 || !absl::SimpleAtoi(instant.substr(11, 2), &hours) ||
      !absl::SimpleAtoi(instant.substr(14, 2), &minutes)) {
    return -1;
  }
  return hours * 60 + minutes;
}

int64_t SortValue(const SearchHit& hit, SortBy sort) {
  switch (sort) {
    case SortBy::kPrice:
      return hit.fare_amount;
    case SortBy::kDuration:
      return hit.duration_min;
    case SortBy::kDeparture:
      return hit.departure_unix;
  }
  return 0;
}

}  // namespace

DayRange BoardingDays(const TripListing& trip) {
  DayRange days;
  if (trip.version == 0) return days;
  for (const StopTime& stop : trip.stops) {
    if (!stop.boarding) continue;
    const std::string day = LocalDate(stop.depart_at);
    if (days.empty() || day < days.first) days.first = day;
    if (days.last.empty() || day > days.last) days.last = day;
  }
  return days;
}

std::optional<std::pair<int, int>> JourneyOn(const TripListing& trip, const std::string& from,
                                             const std::string& to) {
  const int stops = static_cast<int>(trip.stops.size());
  for (int i = 0; i < stops; ++i) {
    if (trip.stops[static_cast<size_t>(i)].station != from ||
        !trip.stops[static_cast<size_t>(i)].boarding) {
      continue;
    }
    for (int j = i + 1; j < stops; ++j) {
      const StopTime& stop = trip.stops[static_cast<size_t>(j)];
      if (stop.station == to && stop.dropping) return std::make_pair(i, j);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Fare> FareOn(const TripListing& trip, const std::string& from,
                           const std::string& to) {
  std::optional<Fare> cheapest;
  for (const Fare& fare : trip.fares) {
    if (fare.from != from || fare.to != to) continue;
    if (fare.category.empty()) return fare;
    if (!cheapest || fare.amount < cheapest->amount) cheapest = fare;
  }
  return cheapest;
}

std::optional<Fare> SeatFare(const TripListing& trip, const std::string& from,
                             const std::string& to, const std::string& category) {
  std::optional<Fare> fallback;
  for (const Fare& fare : trip.fares) {
    if (fare.from != from || fare.to != to) continue;
    if (fare.category == category) return fare;
    if (fare.category.empty()) fallback = fare;
  }
  return fallback;
}

namespace {

// The journey's seats at `now`: how many are free, how full it is, and each free seat sold for
// the journey with its kind and fare (the cheapest fare among them too).
struct JourneySeats {
  int free = 0;
  int64_t occupancy = 0;
  std::vector<PricingInput::FreeKind> kinds;
  std::optional<Fare> cheapest;
};

JourneySeats SeatsOn(const TripListing& trip, const std::map<std::string, SeatClaim>& claims,
                     int from, int to, absl::Time now) {
  std::set<std::string> taken;
  std::set<std::string> blocked;
  for (const auto& [owner, claim] : claims) {
    if (now >= claim.expires_at || claim.to <= from || claim.from >= to) continue;
    (claim.blocked ? blocked : taken).insert(claim.seats.begin(), claim.seats.end());
  }
  const std::string& from_code = trip.stops[static_cast<size_t>(from)].station;
  const std::string& to_code = trip.stops[static_cast<size_t>(to)].station;
  JourneySeats out;
  int64_t for_sale = 0;
  int64_t sold = 0;
  const SeatPlan& plan = *trip.seat_plan;
  // The fare of each category once, not once per seat (a bus has one or two categories).
  std::vector<std::pair<const std::string*, std::optional<Fare>>> fare_of_category;
  const auto fare_for = [&](const std::string& category) -> const std::optional<Fare>& {
    for (const auto& [known, fare] : fare_of_category) {
      if (*known == category) return fare;
    }
    fare_of_category.emplace_back(&category, SeatFare(trip, from_code, to_code, category));
    return fare_of_category.back().second;
  };
  const std::optional<Fare> journey_fare =
      plan.kinds.size() < plan.seats.size() ? FareOn(trip, from_code, to_code) : std::nullopt;
  for (size_t i = 0; i < plan.seats.size(); ++i) {
    const std::string& label = plan.seats[i];
    if (blocked.contains(label)) continue;
    ++for_sale;
    if (taken.contains(label)) {
      ++sold;
      continue;
    }
    ++out.free;
    // Listings stored before seats had kinds price every seat at the journey's fare.
    const SeatKind kind = i < plan.kinds.size() ? plan.kinds[i] : SeatKind{};
    const std::optional<Fare>& fare =
        i < plan.kinds.size() ? fare_for(plan.kinds[i].category) : journey_fare;
    if (!fare) continue;
    out.kinds.push_back({.kind = kind, .label = label, .base = fare->amount});
    if (!out.cheapest || fare->amount < out.cheapest->amount) out.cheapest = fare;
  }
  out.occupancy = for_sale == 0 ? 0 : sold * 100 / for_sale;
  return out;
}

std::optional<Candidate> MatchWithPricing(const TripListing& trip,
                                          const std::map<std::string, SeatClaim>& claims,
                                          const SearchQuery& query, absl::Time now) {
  if (!trip.on_sale) return std::nullopt;
  const auto journey = JourneyOn(trip, query.from, query.to);
  if (!journey) return std::nullopt;
  const StopTime& board = trip.stops[static_cast<size_t>(journey->first)];
  const StopTime& alight = trip.stops[static_cast<size_t>(journey->second)];
  if (LocalDate(board.depart_at) != query.date) return std::nullopt;
  const int minutes = LocalMinutes(board.depart_at);
  if (query.depart_after_min && minutes < *query.depart_after_min) return std::nullopt;
  if (query.depart_before_min && minutes >= *query.depart_before_min) return std::nullopt;
  if (query.ac && trip.ac != *query.ac) return std::nullopt;
  if (!query.bus_class.empty() && trip.bus_class != query.bus_class) return std::nullopt;
  if (!query.operator_id.empty() && trip.org_id != query.operator_id) return std::nullopt;
  if (!FareOn(trip, query.from, query.to)) return std::nullopt;
  JourneySeats seats = SeatsOn(trip, claims, journey->first, journey->second, now);
  if (seats.free < query.passengers) return std::nullopt;
  // The price of the cheapest seat free now (all free seats of a journey nobody sells: none).
  const std::optional<Fare> fare =
      seats.cheapest ? seats.cheapest : FareOn(trip, query.from, query.to);
  const int free = seats.free;
  const auto departs = ParseInstant(board.depart_at);
  const auto arrives = ParseInstant(alight.arrive_at);
  if (!departs || !arrives) return std::nullopt;
  Candidate candidate;
  candidate.pricing = PricingInput{.route_id = trip.route_id,
                                   .departure = *departs,
                                   .zone = board.zone,
                                   .legs = journey->second - journey->first,
                                   .occupancy = seats.occupancy,
                                   .free = std::move(seats.kinds)};
  candidate.hit = SearchHit{.trip_id = trip.trip_id,
                            .org_id = trip.org_id,
                            .from = query.from,
                            .to = query.to,
                            .departure = board.depart_at,
                            .arrival = alight.arrive_at,
                            .departure_unix = absl::ToUnixSeconds(*departs),
                            .duration_min = absl::ToInt64Minutes(*arrives - *departs),
                            .fare_amount = fare->amount,
                            .fare_currency = fare->currency,
                            .seats_available = free,
                            .bus_class = trip.bus_class,
                            .ac = trip.ac,
                            .amenities = trip.amenities};
  return candidate;
}

}  // namespace

std::optional<SearchHit> Match(const TripListing& trip,
                               const std::map<std::string, SeatClaim>& claims,
                               const SearchQuery& query, absl::Time now) {
  std::optional<Candidate> candidate = MatchWithPricing(trip, claims, query, now);
  if (!candidate) return std::nullopt;
  return std::move(candidate->hit);
}

bool HitBefore(const SearchHit& a, const SearchHit& b, SortBy sort) {
  const int64_t left = SortValue(a, sort);
  const int64_t right = SortValue(b, sort);
  if (left != right) return left < right;
  if (a.departure_unix != b.departure_unix) return a.departure_unix < b.departure_unix;
  return a.trip_id < b.trip_id;
}

std::string CursorAfter(const SearchHit& hit, SortBy sort) {
  return absl::WebSafeBase64Escape(absl::StrCat(static_cast<int>(sort), "|", SortValue(hit, sort),
                                                "|", hit.departure_unix, "|", hit.trip_id));
}

absl::StatusOr<SearchHit> CursorPosition(const std::string& cursor, SortBy sort) {
  const absl::Status invalid =
      WithFieldErrors(Error(reasons::kInvalidCursor, "The cursor does not come from this search."),
                      {{"cursor", "is not a cursor of this search"}});
  std::string decoded;
  if (cursor.size() > 512 || !absl::WebSafeBase64Unescape(cursor, &decoded)) return invalid;
  const std::vector<std::string> parts = absl::StrSplit(decoded, absl::MaxSplits('|', 3));
  int kind = -1;
  int64_t value = 0;
  SearchHit hit;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &kind) || kind != static_cast<int>(sort) ||
      !absl::SimpleAtoi(parts[1], &value) || !absl::SimpleAtoi(parts[2], &hit.departure_unix) ||
      parts[3].empty()) {
    return invalid;
  }
  hit.trip_id = parts[3];
  switch (sort) {
    case SortBy::kPrice:
      hit.fare_amount = value;
      break;
    case SortBy::kDuration:
      hit.duration_min = value;
      break;
    case SortBy::kDeparture:
      if (value != hit.departure_unix) return invalid;
      break;
  }
  return hit;
}

bool TripIndex::Upsert(TripListing listing) {
  absl::MutexLock lock(&mu_);
  auto it = trips_.find(listing.trip_id);
  if (it != trips_.end() && it->second.listing.version >= listing.version) return false;
  listing.seat_plan = Intern(std::move(listing.seat_plan));
  if (it != trips_.end()) {
    Unindex(it->second.listing);
    it->second.listing = std::move(listing);
  } else {
    const std::string trip_id = listing.trip_id;
    it = trips_.emplace(trip_id, Entry{std::move(listing), {}, {}}).first;
  }
  const TripListing& kept = it->second.listing;
  for (const StopTime& stop : kept.stops) {
    if (stop.boarding) {
      boarding_[{stop.station, LocalDate(stop.depart_at)}].insert_or_assign(kept.trip_id,
                                                                            &it->second);
    }
  }
  ForgetUnusedPlans();
  return true;
}

void TripIndex::Add(TripListing listing, const std::map<std::string, SeatClaim>& claims) {
  const std::string trip_id = listing.trip_id;
  Upsert(std::move(listing));
  for (const auto& [owner, claim] : claims) Claim(trip_id, owner, claim);
}

size_t TripIndex::PlanCount() const {
  absl::MutexLock lock(&mu_);
  return plans_.size();
}

void TripIndex::ForgetUnusedPlans() {
  // A trip whose bus changed leaves its old plan to the set alone. Swept when the set has
  // doubled since the last sweep: amortized nothing, and a tenant changing layouts again and
  // again cannot grow it past twice the plans in use.
  if (plans_.size() < 2 * plans_after_sweep_ + 64) return;
  for (auto plan = plans_.begin(); plan != plans_.end();) {
    if (plan->use_count() == 1) {
      plans_.erase(plan++);
    } else {
      ++plan;
    }
  }
  plans_after_sweep_ = plans_.size();
}

std::shared_ptr<const SeatPlan> TripIndex::Intern(std::shared_ptr<const SeatPlan> plan) {
  if (plan == nullptr) plan = std::make_shared<const SeatPlan>();
  return *plans_.insert(std::move(plan)).first;
}

void TripIndex::Unindex(const TripListing& listing) {
  for (const StopTime& stop : listing.stops) {
    auto it = boarding_.find({stop.station, LocalDate(stop.depart_at)});
    if (it == boarding_.end()) continue;
    it->second.erase(listing.trip_id);
    if (it->second.empty()) boarding_.erase(it);
  }
}

void TripIndex::Claim(const std::string& trip_id, const std::string& owner,
                      const SeatClaim& claim) {
  absl::MutexLock lock(&mu_);
  Entry& entry = trips_[trip_id];  // claims may arrive before the trip itself
  if (entry.listing.trip_id.empty()) entry.listing.trip_id = trip_id;
  if (entry.ended.count(owner)) return;
  SeatClaim kept = claim;
  if (auto freed = entry.freed.find(owner); freed != entry.freed.end()) {
    std::erase_if(kept.seats, [&](const std::string& seat) { return freed->second.count(seat); });
    if (kept.seats.empty()) return;
  }
  entry.claims[owner] = std::move(kept);
}

void TripIndex::EndClaim(const std::string& trip_id, const std::string& owner) {
  absl::MutexLock lock(&mu_);
  Entry& entry = trips_[trip_id];
  if (entry.listing.trip_id.empty()) entry.listing.trip_id = trip_id;
  entry.claims.erase(owner);
  if (entry.ended.size() >= kEndedMemory) entry.ended.erase(entry.ended.begin());
  entry.ended.insert(owner);
}

void TripIndex::ReduceClaim(const std::string& trip_id, const std::string& owner,
                            const std::vector<std::string>& seats) {
  absl::MutexLock lock(&mu_);
  Entry& entry = trips_[trip_id];  // the freeing may overtake the claim, even the trip
  if (entry.listing.trip_id.empty()) entry.listing.trip_id = trip_id;
  if (!entry.freed.count(owner) && entry.freed.size() >= kEndedMemory) {
    entry.freed.erase(entry.freed.begin());
  }
  entry.freed[owner].insert(seats.begin(), seats.end());
  auto claim = entry.claims.find(owner);
  if (claim == entry.claims.end()) return;
  std::erase_if(claim->second.seats, [&](const std::string& seat) {
    return std::find(seats.begin(), seats.end(), seat) != seats.end();
  });
  if (claim->second.seats.empty()) entry.claims.erase(claim);
}

std::vector<Candidate> TripIndex::Candidates(const SearchQuery& query, absl::Time now) const {
  absl::ReaderMutexLock lock(&mu_);
  return CandidatesLocked(query, now);
}

std::optional<std::vector<Candidate>> TripIndex::TryCandidates(const SearchQuery& query,
                                                               absl::Time now,
                                                               size_t max_boarding) const {
  if (!mu_.ReaderTryLock()) return std::nullopt;
  absl::Cleanup unlock = [this] { mu_.ReaderUnlock(); };
  auto boarding = boarding_.find({query.from, query.date});
  if (boarding != boarding_.end() && boarding->second.size() > max_boarding) return std::nullopt;
  return CandidatesLocked(query, now);
}

std::vector<Candidate> TripIndex::CandidatesLocked(const SearchQuery& query, absl::Time now) const {
  std::vector<Candidate> found;
  auto boarding = boarding_.find({query.from, query.date});
  if (boarding == boarding_.end()) return found;
  for (const auto& [trip_id, entry] : boarding->second) {
    std::optional<Candidate> candidate =
        MatchWithPricing(entry->listing, entry->claims, query, now);
    if (candidate) found.push_back(*std::move(candidate));
  }
  return found;
}

absl::StatusOr<SearchPage> TripIndex::PageOf(std::vector<SearchHit> hits,
                                             const SearchQuery& query) {
  std::optional<SearchHit> after;
  if (!query.cursor.empty()) {
    absl::StatusOr<SearchHit> position = CursorPosition(query.cursor, query.sort);
    if (!position.ok()) return position.status();
    after = *position;
  }
  std::erase_if(hits, [&](const SearchHit& hit) {
    return (query.max_price && hit.fare_amount > *query.max_price) ||
           (after && !HitBefore(*after, hit, query.sort));
  });
  std::sort(hits.begin(), hits.end(),
            [&](const SearchHit& a, const SearchHit& b) { return HitBefore(a, b, query.sort); });
  SearchPage page;
  const size_t limit = static_cast<size_t>(std::max(query.limit, 1));
  if (hits.size() > limit) {
    hits.resize(limit);
    page.next_cursor = CursorAfter(hits.back(), query.sort);
  }
  page.items = std::move(hits);
  return page;
}

absl::StatusOr<SearchPage> TripIndex::Search(const SearchQuery& query, absl::Time now) const {
  std::vector<SearchHit> hits;
  for (Candidate& candidate : Candidates(query, now)) hits.push_back(std::move(candidate.hit));
  return PageOf(std::move(hits), query);
}

std::optional<std::map<std::string, int>> TripIndex::TryOperatorsBoarding(
    const std::string& station, const std::string& date, size_t max_trips) const {
  if (!mu_.ReaderTryLock()) return std::nullopt;
  absl::Cleanup unlock = [this] { mu_.ReaderUnlock(); };
  std::optional<std::map<std::string, int>> operators;
  auto boarding = boarding_.find({station, date});
  if (boarding == boarding_.end()) {
    operators.emplace();
  } else if (boarding->second.size() <= max_trips) {
    operators.emplace();
    for (const auto& [trip_id, entry] : boarding->second) ++(*operators)[entry->listing.org_id];
  }
  return operators;
}

std::optional<TripListing> TripIndex::Listing(const std::string& trip_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = trips_.find(trip_id);
  if (it == trips_.end() || it->second.listing.version == 0) return std::nullopt;
  return it->second.listing;
}

DayRange TripIndex::BoardingDaysOf(const std::string& trip_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = trips_.find(trip_id);
  return it == trips_.end() ? DayRange{} : BoardingDays(it->second.listing);
}

bool TripIndex::Contains(const std::string& trip_id) const {
  absl::ReaderMutexLock lock(&mu_);
  return trips_.contains(trip_id);
}

size_t TripIndex::KeepBoarding(const DayRange& days) {
  absl::MutexLock lock(&mu_);
  for (auto it = trips_.begin(); it != trips_.end();) {
    const DayRange boarding = BoardingDays(it->second.listing);
    if (boarding.empty() || boarding.Overlaps(days)) {
      ++it;
      continue;
    }
    Unindex(it->second.listing);
    it = trips_.erase(it);
  }
  plans_after_sweep_ = 0;  // the plans of the trips gone are swept now
  ForgetUnusedPlans();
  return trips_.size();
}

size_t TripIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return trips_.size();
}

std::map<std::string, SeatClaim> TripIndex::Claims(const std::string& trip_id) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = trips_.find(trip_id);
  return it == trips_.end() ? std::map<std::string, SeatClaim>{} : it->second.claims;
}

}  // namespace travio::search
