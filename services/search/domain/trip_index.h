#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/fare.h"

namespace travio::search {

/// A stop of a trip as search sees it: the station and the local times there, as the catalog
/// wrote them (RFC 3339 with the station's offset, delay included).
struct StopTime {
  std::string station;
  std::string arrive_at;
  std::string depart_at;
  bool boarding = true;
  bool dropping = true;
  std::string zone;  // the station's IANA time zone; empty when unknown
};

/// What a seat is, as far as prices go: its category and deck.
struct SeatKind {
  std::string category = "standard";
  int deck = 1;
  bool operator==(const SeatKind&) const = default;
  auto operator<=>(const SeatKind&) const = default;
};

using ::travio::Fare;

/// The seats and berths for sale on a trip's bus (blocked and crew places left out) and what
/// each is. Trips of one bus share one plan (the index interns them, the snapshot stores each
/// once): a year of a large operator's trips holds a few hundred plans, not a hundred thousand
/// copies of the same forty seats.
struct SeatPlan {
  std::vector<std::string> seats;
  std::vector<SeatKind> kinds;  // in the order of `seats`; empty in listings older than kinds
  bool operator==(const SeatPlan&) const = default;
  template <typename H>
  friend H AbslHashValue(H state, const SeatPlan& plan) {
    state = H::combine(std::move(state), plan.seats);
    for (const SeatKind& kind : plan.kinds)
      state = H::combine(std::move(state), kind.category, kind.deck);
    return H::combine(std::move(state), plan.kinds.size());
  }
};

/// A trip on offer, from the catalog's trip events.
struct TripListing {
  std::string trip_id;
  std::string org_id;
  std::vector<StopTime> stops;
  std::vector<Fare> fares;
  std::string bus_class;
  bool ac = false;
  std::vector<std::string> amenities;
  std::string route_id;
  /// Never null; shared, never changed in place (a new plan replaces it).
  std::shared_ptr<const SeatPlan> seat_plan = std::make_shared<const SeatPlan>();
  bool on_sale = false;
  int64_t version = 0;
};

/// Seats someone holds, booked or blocked for the legs [from, to) of a trip; a hold stops
/// counting at `expires_at`.
struct SeatClaim {
  std::vector<std::string> seats;
  int from = 0;
  int to = 0;
  absl::Time expires_at = absl::InfiniteFuture();
  /// An operator's block: off sale, so counted neither as sold nor as for sale in occupancy.
  bool blocked = false;
};

/// Local dates (YYYY-MM-DD), both ends included; empty: none.
struct DayRange {
  std::string first;
  std::string last;
  bool empty() const { return first.empty(); }
  bool Contains(const std::string& day) const {
    return !empty() && !day.empty() && first <= day && day <= last;
  }
  bool Overlaps(const DayRange& other) const {
    return !empty() && !other.empty() && first <= other.last && other.first <= last;
  }
  bool operator==(const DayRange&) const = default;
};

/// The local dates of the trip's boarding stops, earliest to latest (stops may be in zones of
/// their own); empty for a trip known only by its claims or boarding nowhere.
DayRange BoardingDays(const TripListing& trip);

/// How many days one trip boards travellers over, at most: the catalog's longest route (seven
/// days) and delay (one), and a day for stops in time zones west of the first.
inline constexpr int kLongestBoardingDays = 10;

enum class SortBy { kDeparture, kPrice, kDuration };

/// api.md's search: trips that stop at `from` (boarding) and later at `to` (dropping), leaving
/// `from` on `date` (local to `from`), with at least `passengers` seats free on every leg of
/// the journey.
struct SearchQuery {
  std::string from;
  std::string to;
  std::string date;  // YYYY-MM-DD
  int passengers = 1;
  SortBy sort = SortBy::kDeparture;
  std::optional<bool> ac;
  std::string bus_class;                 // empty: any
  std::string operator_id;               // empty: any
  std::optional<int> depart_after_min;   // local minutes after midnight, inclusive
  std::optional<int> depart_before_min;  // exclusive
  std::optional<int64_t> max_price;
  int limit = 50;
  std::string cursor;  // from a previous page's next_cursor
};

struct SearchHit {
  std::string trip_id;
  std::string org_id;
  std::string from;
  std::string to;
  std::string departure;       // at `from`, local
  std::string arrival;         // at `to`, local
  int64_t departure_unix = 0;  // the same instant, for ordering
  int64_t duration_min = 0;
  int64_t fare_amount = 0;
  std::string fare_currency;
  int seats_available = 0;
  std::string bus_class;
  bool ac = false;
  std::vector<std::string> amenities;
  bool operator==(const SearchHit&) const = default;
};

/// What pricing rules need to price a hit's seats (services/pricing): every seat free for the
/// journey with its kind and base fare, and the sale's state. (Pricing evaluates seats of one
/// kind and fare once, unless a rule reads seat labels.)
struct PricingInput {
  std::string route_id;
  absl::Time departure;  // from the boarding stop
  std::string zone;      // the boarding station's
  int legs = 1;
  int64_t occupancy = 0;  // percent of the journey's seats for sale that are sold or held
  struct FreeKind {
    SeatKind kind;
    std::string label;
    int64_t base = 0;
  };
  std::vector<FreeKind> free;
};

/// A hit before rules priced it: `hit.fare_amount` is the cheapest base fare of a free seat.
struct Candidate {
  SearchHit hit;
  PricingInput pricing;
};

struct SearchPage {
  std::vector<SearchHit> items;
  std::string next_cursor;  // empty on the last page
};

/// Where a journey from `from` to `to` runs on the trip: the first boarding stop at `from` and
/// the first dropping stop at `to` after it; nullopt when the trip does not make it.
std::optional<std::pair<int, int>> JourneyOn(const TripListing& trip, const std::string& from,
                                             const std::string& to);

/// The fare of the journey: the pair's fare without category, else its cheapest category.
std::optional<Fare> FareOn(const TripListing& trip, const std::string& from, const std::string& to);

/// The base fare of a seat of `category` for the journey: its category's own fare, else the
/// pair's fare without category; nullopt when the seat is not sold for the journey.
std::optional<Fare> SeatFare(const TripListing& trip, const std::string& from,
                             const std::string& to, const std::string& category);

/// The hit for a matching journey, or nullopt when the trip does not match the query's journey
/// and filters (seats included; `max_price` is left to the page, after pricing rules). Shared by
/// the index and its brute-force reference.
std::optional<SearchHit> Match(const TripListing& trip,
                               const std::map<std::string, SeatClaim>& claims,
                               const SearchQuery& query, absl::Time now);

/// The order of hits for `sort` (ties: departure, then trip id), and the cursor after a hit.
bool HitBefore(const SearchHit& a, const SearchHit& b, SortBy sort);
std::string CursorAfter(const SearchHit& hit, SortBy sort);
/// kInvalidArgument `invalid_cursor` for a cursor this sort did not make.
absl::StatusOr<SearchHit> CursorPosition(const std::string& cursor, SortBy sort);

/// The in-memory read model: trips by boarding station and local date, with the seats claimed
/// on each. Thread-safe: searches share a reader lock, updates take it alone.
class TripIndex {
 public:
  /// Keeps the listing unless one of the same or a newer version is known; true when kept. A
  /// trip no longer on sale stays known (its version) but is never found.
  bool Upsert(TripListing listing);
  /// Upsert, then the trip's claims by owner: a trip as its snapshot stored it.
  void Add(TripListing listing, const std::map<std::string, SeatClaim>& claims);
  /// Records a claim (a hold, booking or block named `owner`); replaces the owner's previous one.
  void Claim(const std::string& trip_id, const std::string& owner, const SeatClaim& claim);
  /// Ends a claim; remembers the owner for a while, so a claim arriving after its end (events
  /// reordered) is ignored.
  void EndClaim(const std::string& trip_id, const std::string& owner);
  /// Removes `seats` from a claim (a partial cancellation).
  void ReduceClaim(const std::string& trip_id, const std::string& owner,
                   const std::vector<std::string>& seats);

  /// Every hit of the query (its filters but not `max_price`, its cursor or its limit), with
  /// what pricing rules need.
  std::vector<Candidate> Candidates(const SearchQuery& query, absl::Time now) const;
  /// Candidates, or nullopt when more than `max_boarding` trips board at `query.from` that day
  /// or the index is being changed (never waits: an I/O thread asks).
  std::optional<std::vector<Candidate>> TryCandidates(const SearchQuery& query, absl::Time now,
                                                      size_t max_boarding) const
      ABSL_NO_THREAD_SAFETY_ANALYSIS;  // a try-lock released by a cleanup
  /// The page of `hits` (priced): `max_price`, the sort, the cursor and the limit.
  static absl::StatusOr<SearchPage> PageOf(std::vector<SearchHit> hits, const SearchQuery& query);
  /// Candidates then PageOf, at base fares.
  absl::StatusOr<SearchPage> Search(const SearchQuery& query, absl::Time now) const;

  /// The operators of the trips boarding at `station` on `date` (local), with how many trips
  /// each; nullopt when more than `max_trips` board there or the index is being changed (never
  /// waits: an I/O thread asks).
  std::optional<std::map<std::string, int>> TryOperatorsBoarding(
      const std::string& station, const std::string& date,
      size_t max_trips) const ABSL_NO_THREAD_SAFETY_ANALYSIS;  // a try-lock released by a cleanup

  std::optional<TripListing> Listing(const std::string& trip_id) const;
  /// BoardingDays of the trip; empty when it is not here or known only by claims.
  DayRange BoardingDaysOf(const std::string& trip_id) const;
  /// Whether the trip is here, its listing or only claims made before it arrived.
  bool Contains(const std::string& trip_id) const;
  /// Forgets the trips boarding on none of `days` (trips known only by their claims stay);
  /// returns how many are left.
  size_t KeepBoarding(const DayRange& days);
  size_t size() const;
  /// Distinct seat plans held (those of the trips known, and at most as many again no trip
  /// uses any more).
  size_t PlanCount() const;
  std::map<std::string, SeatClaim> Claims(const std::string& trip_id) const;

 private:
  struct Entry {
    TripListing listing;
    std::map<std::string, SeatClaim> claims;
    std::set<std::string> ended;  // owners whose claims ended
    // Seats freed from a booking's claim: a booking never gets a freed seat back, so a late or
    // repeated claim of the booking (replicas get events twice: events.h, Delivery) keeps them
    // freed.
    std::map<std::string, std::set<std::string>> freed;
  };
  void Unindex(const TripListing& listing) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<Candidate> CandidatesLocked(const SearchQuery& query, absl::Time now) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  struct PlanHash {
    size_t operator()(const std::shared_ptr<const SeatPlan>& plan) const {
      return absl::Hash<SeatPlan>{}(*plan);
    }
  };
  struct PlanEq {
    bool operator()(const std::shared_ptr<const SeatPlan>& a,
                    const std::shared_ptr<const SeatPlan>& b) const {
      return *a == *b;
    }
  };
  /// The one copy of an equal plan already known, else `plan` itself, remembered.
  std::shared_ptr<const SeatPlan> Intern(std::shared_ptr<const SeatPlan> plan)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ForgetUnusedPlans() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  std::map<std::string, Entry> trips_ ABSL_GUARDED_BY(mu_);
  // Every distinct plan of the trips known (few: one per bus layout version), and plans no
  // trip uses any more until the next sweep (ForgetUnusedPlans).
  absl::flat_hash_set<std::shared_ptr<const SeatPlan>, PlanHash, PlanEq> plans_
      ABSL_GUARDED_BY(mu_);
  size_t plans_after_sweep_ ABSL_GUARDED_BY(mu_) = 0;
  // (station, local date) -> trips boarding there that day, by id, each with its entry in
  // `trips_` (a map's nodes stay put; a trip leaves here before it leaves `trips_`), so a
  // search walks its candidates without looking each up.
  std::map<std::pair<std::string, std::string>, std::map<std::string, const Entry*>> boarding_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace travio::search
