#include "services/search/domain/trip_index.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::search {
namespace {

const absl::TimeZone kDhaka = absl::FixedTimeZone(6 * 3600);
const absl::Time kDay0 = absl::FromCivil(absl::CivilSecond(2026, 12, 20, 0, 0, 0), kDhaka);

std::string Local(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S+06:00", time, kDhaka);
}

// A trip over `stations` leaving at `departure`, two hours between stops.
TripListing Trip(const std::string& id, std::vector<std::string> stations, absl::Time departure,
                 int64_t fare = 100000) {
  TripListing trip;
  trip.trip_id = id;
  trip.org_id = "org-1";
  trip.version = 1;
  trip.on_sale = true;
  trip.bus_class = "seater";
  trip.ac = true;
  for (size_t i = 0; i < stations.size(); ++i) {
    const absl::Time at = departure + absl::Hours(2 * static_cast<int64_t>(i));
    trip.stops.push_back({stations[i], Local(at), Local(at + absl::Minutes(10)), true, true});
  }
  for (size_t i = 0; i < stations.size(); ++i) {
    for (size_t j = i + 1; j < stations.size(); ++j) {
      trip.fares.push_back(
          {stations[i], stations[j], fare * static_cast<int64_t>(j - i), "BDT", ""});
    }
  }
  auto plan = std::make_shared<SeatPlan>();
  for (int seat = 1; seat <= 4; ++seat) plan->seats.push_back(absl::StrCat("A", seat));
  trip.seat_plan = std::move(plan);
  return trip;
}

SearchQuery Query(std::string from, std::string to, std::string date = "2026-12-20") {
  SearchQuery query;
  query.from = std::move(from);
  query.to = std::move(to);
  query.date = std::move(date);
  return query;
}

std::vector<std::string> Ids(const SearchPage& page) {
  std::vector<std::string> ids;
  for (const SearchHit& hit : page.items) ids.push_back(hit.trip_id);
  return ids;
}

TEST(TripIndexTest, IntermediateStopsMatchInTheirOrderOnly) {
  TripIndex index;
  index.Upsert(Trip("t1", {"DHK", "CTG", "CXB"}, kDay0 + absl::Hours(22)));
  const absl::Time now = kDay0;
  EXPECT_EQ(Ids(*index.Search(Query("CTG", "CXB", "2026-12-21"), now)),
            std::vector<std::string>{"t1"});  // boards at CTG after midnight
  EXPECT_EQ(Ids(*index.Search(Query("DHK", "CXB"), now)), std::vector<std::string>{"t1"});
  EXPECT_TRUE(index.Search(Query("CXB", "DHK"), now)->items.empty());
  EXPECT_TRUE(index.Search(Query("CTG", "CXB"), now)->items.empty());  // another day there
  const SearchHit hit = index.Search(Query("DHK", "CTG"), now)->items.at(0);
  EXPECT_EQ(hit.departure, "2026-12-20T22:10:00+06:00");
  EXPECT_EQ(hit.arrival, "2026-12-21T00:00:00+06:00");
  EXPECT_EQ(hit.duration_min, 110);
  EXPECT_EQ(hit.fare_amount, 100000);
  EXPECT_EQ(hit.seats_available, 4);
}

TEST(TripIndexTest, SeatsFollowClaimsLegByLeg) {
  TripIndex index;
  index.Upsert(Trip("t1", {"DHK", "CTG", "CXB"}, kDay0 + absl::Hours(8)));
  const absl::Time now = kDay0;
  index.Claim("t1", "hold-1", {{"A1", "A2"}, 0, 1, now + absl::Minutes(5)});
  index.Claim("t1", "booking-1", {{"A3"}, 1, 2, absl::InfiniteFuture()});
  EXPECT_EQ(index.Search(Query("DHK", "CTG"), now)->items[0].seats_available, 2);
  EXPECT_EQ(index.Search(Query("CTG", "CXB"), now)->items[0].seats_available, 3);
  EXPECT_EQ(index.Search(Query("DHK", "CXB"), now)->items[0].seats_available, 1);
  // An expired hold stops counting even before its release arrives.
  EXPECT_EQ(index.Search(Query("DHK", "CXB"), now + absl::Minutes(5))->items[0].seats_available, 3);
  SearchQuery three = Query("DHK", "CXB");
  three.passengers = 2;
  EXPECT_TRUE(index.Search(three, now)->items.empty());
  // A release that overtook its hold wins: the late hold is ignored.
  index.EndClaim("t1", "hold-2");
  index.Claim("t1", "hold-2", {{"A4"}, 0, 2, now + absl::Minutes(5)});
  EXPECT_EQ(index.Search(Query("DHK", "CXB"), now)->items[0].seats_available, 1);
  index.ReduceClaim("t1", "booking-1", {"A3"});
  index.EndClaim("t1", "hold-1");
  EXPECT_EQ(index.Search(Query("DHK", "CXB"), now)->items[0].seats_available, 4);
}

// Replicas of search get each seat event twice (their own queue and the shared one), in either
// order against later events: a booking's claim replayed after seats of it were freed, or
// arriving after its freeing, never brings the freed seats back.
TEST(TripIndexTest, FreedSeatsStayFreedWhateverOrderOrRepeatsTheEventsCome) {
  TripIndex index;
  index.Upsert(Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8)));
  const absl::Time now = kDay0;
  const SeatClaim booking{{"A1", "A2", "A3"}, 0, 1, absl::InfiniteFuture()};
  index.Claim("t1", "booking-1", booking);
  index.ReduceClaim("t1", "booking-1", {"A1"});
  index.Claim("t1", "booking-1", booking);  // the creation again, after a partial cancel
  EXPECT_EQ(index.Search(Query("DHK", "CTG"), now)->items[0].seats_available, 2);
  index.ReduceClaim("t1", "booking-1", {"A2", "A3"});
  index.Claim("t1", "booking-1", booking);  // and after the whole booking was cancelled
  index.ReduceClaim("t1", "booking-1", {"A2", "A3"});
  EXPECT_EQ(index.Search(Query("DHK", "CTG"), now)->items[0].seats_available, 4);
  // A cancellation that overtook its booking: the late booking holds only what is left.
  index.ReduceClaim("t1", "booking-2", {"A4"});
  index.Claim("t1", "booking-2", {{"A4", "A1"}, 0, 1, absl::InfiniteFuture()});
  EXPECT_EQ(index.Search(Query("DHK", "CTG"), now)->items[0].seats_available, 3);
  index.Claim("t1", "booking-3", {{"A2"}, 0, 1, absl::InfiniteFuture()});
  EXPECT_EQ(index.Search(Query("DHK", "CTG"), now)->items[0].seats_available, 2);
}

TEST(TripIndexTest, NewerVersionsReplaceOlderOnesAndTripsOffSaleVanish) {
  TripIndex index;
  EXPECT_TRUE(index.Upsert(Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8))));
  TripListing later = Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(32));
  later.version = 2;
  EXPECT_TRUE(index.Upsert(later));
  EXPECT_FALSE(index.Upsert(Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8))));  // stale
  EXPECT_TRUE(index.Search(Query("DHK", "CTG"), kDay0)->items.empty());
  EXPECT_EQ(index.Search(Query("DHK", "CTG", "2026-12-21"), kDay0)->items.size(), 1u);
  later.version = 3;
  later.on_sale = false;
  EXPECT_TRUE(index.Upsert(later));
  EXPECT_TRUE(index.Search(Query("DHK", "CTG", "2026-12-21"), kDay0)->items.empty());
}

TEST(TripIndexTest, ABadCursorIsRefused) {
  TripIndex index;
  SearchQuery query = Query("DHK", "CTG");
  for (const std::string& cursor : {std::string("%%%"), std::string("bm9wZQ"),
                                    CursorAfter(SearchHit{.trip_id = "t"}, SortBy::kPrice)}) {
    query.cursor = cursor;
    EXPECT_EQ(ReasonOf(index.Search(query, kDay0).status()), "invalid_cursor") << cursor;
  }
}

// The reference: every trip scanned, the rules written again plainly.
std::vector<SearchHit> BruteForce(
    const std::vector<TripListing>& trips,
    const std::map<std::string, std::map<std::string, SeatClaim>>& claims, const SearchQuery& query,
    absl::Time now) {
  std::vector<SearchHit> hits;
  for (const TripListing& trip : trips) {
    if (!trip.on_sale) continue;
    int from = -1;
    int to = -1;
    for (int i = 0; i < static_cast<int>(trip.stops.size()) && from < 0; ++i) {
      if (trip.stops[i].station == query.from && trip.stops[i].boarding) from = i;
    }
    if (from < 0) continue;
    for (int j = from + 1; j < static_cast<int>(trip.stops.size()) && to < 0; ++j) {
      if (trip.stops[j].station == query.to && trip.stops[j].dropping) to = j;
    }
    if (to < 0) continue;
    const std::string& leaves = trip.stops[from].depart_at;
    if (leaves.substr(0, 10) != query.date) continue;
    const int minutes = std::stoi(leaves.substr(11, 2)) * 60 + std::stoi(leaves.substr(14, 2));
    if (query.depart_after_min && minutes < *query.depart_after_min) continue;
    if (query.depart_before_min && minutes >= *query.depart_before_min) continue;
    if (query.ac && *query.ac != trip.ac) continue;
    if (!query.bus_class.empty() && query.bus_class != trip.bus_class) continue;
    if (!query.operator_id.empty() && query.operator_id != trip.org_id) continue;
    std::optional<int64_t> fare;
    std::string currency;
    for (const Fare& entry : trip.fares) {
      if (entry.from != query.from || entry.to != query.to) continue;
      if (entry.category.empty()) {
        fare = entry.amount;
        currency = entry.currency;
        break;
      }
      if (!fare || entry.amount < *fare) {
        fare = entry.amount;
        currency = entry.currency;
      }
    }
    if (!fare || (query.max_price && *fare > *query.max_price)) continue;
    int free = 0;
    for (const std::string& seat : trip.seat_plan->seats) {
      bool taken = false;
      auto it = claims.find(trip.trip_id);
      if (it != claims.end()) {
        for (const auto& [owner, claim] : it->second) {
          const bool overlaps = claim.from < to && from < claim.to;
          const bool mine =
              std::find(claim.seats.begin(), claim.seats.end(), seat) != claim.seats.end();
          taken = taken || (overlaps && mine && now < claim.expires_at);
        }
      }
      free += taken ? 0 : 1;
    }
    if (free < query.passengers) continue;
    absl::Time departs;
    absl::Time arrives;
    std::string error;
    absl::ParseTime(absl::RFC3339_full, leaves, &departs, &error);
    absl::ParseTime(absl::RFC3339_full, trip.stops[to].arrive_at, &arrives, &error);
    hits.push_back(SearchHit{.trip_id = trip.trip_id,
                             .org_id = trip.org_id,
                             .from = query.from,
                             .to = query.to,
                             .departure = leaves,
                             .arrival = trip.stops[to].arrive_at,
                             .departure_unix = absl::ToUnixSeconds(departs),
                             .duration_min = absl::ToInt64Minutes(arrives - departs),
                             .fare_amount = *fare,
                             .fare_currency = currency,
                             .seats_available = free,
                             .bus_class = trip.bus_class,
                             .ac = trip.ac,
                             .amenities = trip.amenities});
  }
  auto key = [&](const SearchHit& hit) {
    const int64_t primary = query.sort == SortBy::kPrice      ? hit.fare_amount
                            : query.sort == SortBy::kDuration ? hit.duration_min
                                                              : hit.departure_unix;
    return std::make_tuple(primary, hit.departure_unix, hit.trip_id);
  };
  std::sort(hits.begin(), hits.end(),
            [&](const SearchHit& a, const SearchHit& b) { return key(a) < key(b); });
  return hits;
}

// Generated networks: 30 stations, 1,500 trips of 2 to 6 stops over three days with random
// boarding and dropping rules, fares (some by category only), buses and claims. Every query
// paged through the index equals the brute-force scan.
TEST(TripIndexTest, AgreesWithABruteForceScanOnGeneratedData) {
  std::mt19937 random(20261220);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<std::string> stations;
  for (int i = 0; i < 30; ++i) stations.push_back(absl::StrCat("S", i));
  std::vector<TripListing> trips;
  std::map<std::string, std::map<std::string, SeatClaim>> claims;
  TripIndex index;
  const absl::Time now = kDay0 + absl::Hours(1);
  for (int t = 0; t < 1500; ++t) {
    std::vector<std::string> route;
    const int length = 2 + pick(5);
    while (static_cast<int>(route.size()) < length) {
      const std::string station = stations[pick(30)];
      if (std::find(route.begin(), route.end(), station) == route.end()) route.push_back(station);
    }
    TripListing trip = Trip(absl::StrCat("trip-", t), route,
                            kDay0 + absl::Minutes(pick(3 * 24 * 60)), 50000 + 1000 * pick(50));
    trip.org_id = absl::StrCat("org-", pick(4));
    trip.bus_class = pick(2) ? "seater" : "sleeper";
    trip.ac = pick(2) == 1;
    trip.on_sale = pick(10) != 0;
    for (size_t i = 0; i < trip.stops.size(); ++i) {
      trip.stops[i].boarding = i + 1 < trip.stops.size() && pick(5) != 0;
      trip.stops[i].dropping = i > 0 && pick(5) != 0;
    }
    if (pick(4) == 0) {  // fares by category only for this trip
      for (Fare& fare : trip.fares) fare.category = pick(2) ? "ladies" : "premium";
    }
    if (pick(3) == 0 && !trip.fares.empty()) trip.fares.erase(trip.fares.begin());
    trips.push_back(trip);
    index.Upsert(trip);
    for (int c = pick(4); c > 0; --c) {
      const int from = pick(static_cast<int>(trip.stops.size()) - 1);
      const int to = from + 1 + pick(static_cast<int>(trip.stops.size()) - 1 - from);
      SeatClaim claim{{absl::StrCat("A", 1 + pick(4))},
                      from,
                      to,
                      pick(3) == 0 ? absl::InfiniteFuture()
                                   : now + absl::Minutes(pick(10) - 3)};  // some expired
      const std::string owner = absl::StrCat("owner-", t, "-", c);
      claims[trip.trip_id][owner] = claim;
      index.Claim(trip.trip_id, owner, claim);
    }
  }
  int compared = 0;
  int non_empty = 0;
  for (int q = 0; q < 400; ++q) {
    SearchQuery query =
        Query(stations[pick(30)], stations[pick(30)], absl::StrCat("2026-12-", 20 + pick(3)));
    query.passengers = 1 + pick(4);
    query.sort = static_cast<SortBy>(pick(3));
    if (pick(4) == 0) query.ac = pick(2) == 1;
    if (pick(5) == 0) query.bus_class = "sleeper";
    if (pick(5) == 0) query.operator_id = absl::StrCat("org-", pick(4));
    if (pick(4) == 0) query.depart_after_min = pick(24 * 60);
    if (pick(4) == 0) query.depart_before_min = pick(24 * 60);
    if (pick(4) == 0) query.max_price = 50000 + 20000 * pick(10);
    query.limit = 1 + pick(7);
    std::vector<SearchHit> paged;
    for (int page_number = 0; page_number < 1000; ++page_number) {
      auto page = index.Search(query, now);
      ASSERT_OK(page);
      paged.insert(paged.end(), page->items.begin(), page->items.end());
      if (page->next_cursor.empty()) break;
      query.cursor = page->next_cursor;
    }
    query.cursor.clear();
    const std::vector<SearchHit> expected = BruteForce(trips, claims, query, now);
    ASSERT_EQ(paged, expected) << "query " << q << " " << query.from << "->" << query.to;
    ++compared;
    non_empty += expected.empty() ? 0 : 1;
  }
  EXPECT_EQ(compared, 400);
  EXPECT_GT(non_empty, 40);  // the generated data exercised real matches
}

TEST(TripIndex, TripsWithEqualSeatPlansShareOneCopy) {
  TripIndex index;
  TripListing first = Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8));
  TripListing second = Trip("t2", {"DHK", "CTG"}, kDay0 + absl::Hours(9));
  ASSERT_NE(first.seat_plan.get(), second.seat_plan.get());  // equal, made apart
  ASSERT_EQ(*first.seat_plan, *second.seat_plan);
  index.Upsert(first);
  index.Upsert(second);
  EXPECT_EQ(index.Listing("t1")->seat_plan.get(), index.Listing("t2")->seat_plan.get());
  TripListing other = Trip("t3", {"DHK", "CTG"}, kDay0 + absl::Hours(10));
  other.seat_plan = std::make_shared<const SeatPlan>(SeatPlan{.seats = {"Z9"}, .kinds = {}});
  index.Upsert(other);
  EXPECT_NE(index.Listing("t3")->seat_plan.get(), index.Listing("t1")->seat_plan.get());
  EXPECT_EQ(index.Listing("t3")->seat_plan->seats, std::vector<std::string>{"Z9"});
}

TEST(TripIndex, PlansNoTripUsesAreForgottenAndStaleVersionsAddNone) {
  TripIndex index;
  // A tenant changing one trip's layout a thousand times.
  for (int version = 1; version <= 1000; ++version) {
    TripListing trip = Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8));
    trip.version = version;
    trip.seat_plan = std::make_shared<const SeatPlan>(
        SeatPlan{.seats = {absl::StrCat("S", version)}, .kinds = {}});
    ASSERT_TRUE(index.Upsert(trip));
  }
  EXPECT_LE(index.PlanCount(), 64u + 2u);
  EXPECT_EQ(index.Listing("t1")->seat_plan->seats, std::vector<std::string>{"S1000"});
  const size_t before = index.PlanCount();
  TripListing stale = Trip("t1", {"DHK", "CTG"}, kDay0 + absl::Hours(8));
  stale.version = 999;
  stale.seat_plan =
      std::make_shared<const SeatPlan>(SeatPlan{.seats = {"never-kept"}, .kinds = {}});
  EXPECT_FALSE(index.Upsert(stale));
  EXPECT_EQ(index.PlanCount(), before);
}

}  // namespace
}  // namespace travio::search
