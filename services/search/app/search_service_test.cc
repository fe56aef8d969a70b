// The read model fed through its subscriptions with trip events made by the catalog's own
// contract and seat events in inventory's payload form, restored from its snapshot after a
// restart.
#include "services/search/app/search_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/str_format.h"
#include "platform/db/migrations.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/pricing/api/unscripted_pricing.h"
#include "services/search/storage/sql/sql_snapshot_store.h"

namespace travio::search {
namespace {

using ::travio::testing::StatusIs;

const std::string kTrip = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900010";
const std::string kOrg = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";

catalog::Trip CatalogTrip(int version, catalog::TripStatus status) {
  const absl::Time departure =
      absl::FromCivil(absl::CivilSecond(2026, 12, 20, 22, 30, 0), absl::FixedTimeZone(6 * 3600));
  catalog::Trip trip;
  trip.id = kTrip;
  trip.org_id = kOrg;
  trip.route_id = "route";
  trip.route_name = "Dhaka - Cox's Bazar";
  trip.bus = {.bus_id = "bus", .bus_version = 1, .plate = "DHA-1"};
  catalog::SetLayout(trip.bus, *fleet::LayoutFromTemplate("2+2", 2));
  trip.bus.ac = true;
  trip.stops = {{"DHK", "Asia/Dhaka", departure, departure, true, false},
                {"CTG", "Asia/Dhaka", departure + absl::Minutes(330),
                 departure + absl::Minutes(345), true, true},
                {"CXB", "Asia/Dhaka", departure + absl::Minutes(570),
                 departure + absl::Minutes(570), false, true}};
  trip.fares = {{"DHK", "CTG", 90000, "BDT", ""},
                {"CTG", "CXB", 60000, "BDT", ""},
                {"DHK", "CXB", 150000, "BDT", ""}};
  trip.status = status;
  trip.version = version;
  return trip;
}

events::Event TripEvent(const catalog::Trip& trip) {
  return catalog::kTripPublished.Make(catalog::Publish(trip),
                                      {.id = "trip-event-" + std::to_string(trip.version),
                                       .aggregate_id = trip.id,
                                       .org_id = trip.org_id,
                                       .occurred_at = absl::UnixEpoch(),
                                       .trace_id = ""});
}

events::Event SeatEvent(const std::string& type, nlohmann::json payload) {
  static int counter = 0;
  return events::Event{.id = "seat-event-" + std::to_string(++counter),
                       .type = type,
                       .aggregate_id = kTrip,
                       .org_id = kOrg,
                       .occurred_at = absl::UnixEpoch(),
                       .trace_id = "",
                       .payload = payload.dump()};
}

class FixedNames final : public OperatorNames {
 public:
  absl::StatusOr<std::string> NameOf(const std::string& org_id) override {
    ++lookups;
    return org_id == kOrg ? "Shohagh Paribahan" : "";
  }
  int lookups = 0;
};

// Pricing as search meets it: every seat at half its base fare, at most
// kMaxTripsPerPriceMany trips a call, as the real service.
class HalvingPricing final : public pricing::UnscriptedPricing {
 public:
  absl::StatusOr<std::vector<pricing::PriceResult>> PriceMany(
      const std::vector<pricing::PriceRequest>& requests) override {
    if (requests.size() > pricing::kMaxTripsPerPriceMany) {
      return absl::InvalidArgumentError("too many trips");
    }
    std::vector<pricing::PriceResult> results;
    for (const pricing::PriceRequest& request : requests) {
      pricing::PriceResult result{.at = absl::UnixEpoch(), .currency = request.currency};
      for (const pricing::SeatFacts& seat : request.seats) {
        result.seats.push_back({.seat = seat.label, .base = seat.base, .price = seat.base / 2});
      }
      results.push_back(std::move(result));
    }
    return results;
  }
  // From memory too when told how many steps each trip of an operator costs.
  std::optional<int64_t> StepsFromMemory(const std::string& org_id, int trips) override {
    auto steps = steps_per_trip.find(org_id);
    if (steps == steps_per_trip.end()) return std::nullopt;
    return steps->second * trips;
  }
  absl::StatusOr<std::vector<pricing::PriceResult>> PriceManyFromMemory(
      const std::vector<pricing::PriceRequest>& requests, int64_t) override {
    for (const pricing::PriceRequest& request : requests) {
      if (!steps_per_trip.contains(request.org_id)) {
        return Error(reasons::kWouldWait, "not in memory");
      }
    }
    return PriceMany(requests);
  }
  std::map<std::string, int64_t> steps_per_trip;
};

// The SQL snapshot, failing on demand (a database away for a moment).
class FlakySnapshots final : public SnapshotStore {
 public:
  explicit FlakySnapshots(SnapshotStore& store) : store_(store) {}
  absl::Status PutTrip(const TripListing& listing) override {
    if (failing_puts > 0) {
      --failing_puts;
      return absl::UnavailableError("the database is away");
    }
    return store_.PutTrip(listing);
  }
  absl::Status PutClaims(const std::string& trip_id,
                         const std::map<std::string, SeatClaim>& claims) override {
    return store_.PutClaims(trip_id, claims);
  }
  absl::Status PutStation(const StationEntry& station) override {
    return store_.PutStation(station);
  }
  absl::StatusOr<Snapshot> Load(const DayRange& days) override { return store_.Load(days); }
  absl::StatusOr<std::vector<StoredTrip>> LoadBoarding(const DayRange& days) override {
    ++boarding_loads;
    if (before_load_boarding) before_load_boarding();
    if (failing_loads > 0) {
      --failing_loads;
      return absl::UnavailableError("the database is away");
    }
    auto loaded = store_.LoadBoarding(days);
    if (after_load_boarding) after_load_boarding();
    return loaded;
  }
  absl::StatusOr<std::optional<StoredTrip>> LoadTrip(const std::string& trip_id) override {
    return store_.LoadTrip(trip_id);
  }
  int failing_puts = 0;
  int failing_loads = 0;
  std::atomic<int> boarding_loads{0};
  std::function<void()> before_load_boarding;
  std::function<void()> after_load_boarding;

 private:
  SnapshotStore& store_;
};

class SearchServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = db::OpenSqlite({(dir_ / "search.db").string()});
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = SearchMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "search", migrations));
    snapshots_ = MakeSqlSnapshotStore(*database_);
    flaky_ = std::make_unique<FlakySnapshots>(*snapshots_);
    Restart();
  }
  // A new process: a new service on the same snapshot, following a new bus.
  void Restart() {
    bus_ = std::make_unique<events::Bus>();
    service_ = std::make_shared<SearchService>(
        SearchService::Ports{.snapshots = *flaky_,
                             .operators = names_,
                             .clock = clock_,
                             .logger = log::Logger::ToStderr(log::Level::kError),
                             .pricing = pricing_,
                             .settings = settings_});
    ASSERT_OK(service_->Restore());
    FollowEvents(*bus_, service_);
  }
  // Delivered as the module's subscriptions deliver it.
  absl::Status Deliver(const events::Event& event) { return bus_->Publish(event); }
  SearchResults Find(const std::string& from, const std::string& to,
                     const std::string& date = "2026-12-20") {
    SearchQuery query;
    query.from = from;
    query.to = to;
    query.date = date;
    auto results = service_->Search(query);
    EXPECT_OK(results);
    return results.ok() ? *results : SearchResults{};
  }

  testing::TempDir dir_;
  ManualClock clock_{absl::FromUnixSeconds(1'797'000'000)};
  FixedNames names_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<SnapshotStore> snapshots_;
  std::unique_ptr<FlakySnapshots> flaky_;
  std::unique_ptr<events::Bus> bus_;
  std::shared_ptr<SearchService> service_;
  std::shared_ptr<pricing::PricingClient> pricing_;
  SearchSettings settings_;
};

TEST_F(SearchServiceTest, ABusyDayIsPricedWholeInCallsPricingAccepts) {
  pricing_ = std::make_shared<HalvingPricing>();
  Restart();
  // 201 departures between the same stops on one day: more than one pricing call takes.
  for (int i = 0; i < 201; ++i) {
    catalog::Trip trip = CatalogTrip(1, catalog::TripStatus::kPublished);
    trip.id = absl::StrFormat("0192f0c4-6c1b-7c3e-9a2b-5d7e8f9%05d", i);
    ASSERT_OK(Deliver(TripEvent(trip)));
  }
  SearchQuery query;
  query.from = "DHK";
  query.to = "CTG";
  query.date = "2026-12-20";
  query.limit = 100;
  std::optional<std::string> cursor;
  int seen = 0;
  do {
    if (cursor) query.cursor = *cursor;
    ASSERT_OK_AND_ASSIGN(SearchResults page, service_->Search(query));
    for (const TripResult& result : page.items) {
      EXPECT_EQ(result.hit.fare_amount, 45000) << result.hit.trip_id;
      ++seen;
    }
    cursor = page.next_cursor.empty() ? std::nullopt : std::optional(page.next_cursor);
  } while (cursor);
  EXPECT_EQ(seen, 201);
}

TEST_F(SearchServiceTest, DaysBeyondThoseInMemoryAreSearchedInTheSnapshot) {
  settings_.memory_days = 2;  // today is 2026-12-11: the trip of the 20th is not in memory
  Restart();
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  EXPECT_FALSE(service_->index().Contains(kTrip));
  ASSERT_EQ(Find("DHK", "CXB").items.size(), 1u);
  EXPECT_EQ(Find("CTG", "CXB", "2026-12-21").items.at(0).hit.seats_available, 8);

  const nlohmann::json whole = {{"from", 0}, {"to", 2}};
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h1"},
                                                 {"seats", {"A1", "A2"}},
                                                 {"journey", whole},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  ASSERT_OK(Deliver(SeatEvent(
      "booking.created.v1",
      {{"hold_id", "h1"}, {"booking_id", "b1"}, {"seats", {"A1", "A2"}}, {"journey", whole}})));
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h2"},
                                                 {"seats", {"B1"}},
                                                 {"journey", whole},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  ASSERT_OK(Deliver(
      SeatEvent("hold.released.v1", {{"hold_id", "h2"}, {"seats", {"B1"}}, {"journey", whole}})));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 6);
  // A new version of the trip, while it is not kept, keeps its seats taken.
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kPublished))));

  Restart();
  EXPECT_FALSE(service_->index().Contains(kTrip));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 6);
  // Its day comes into memory as the clock moves towards it, seats and all.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 18, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 6);
  EXPECT_TRUE(service_->index().Contains(kTrip));
  EXPECT_EQ(service_->index().Listing(kTrip)->version, 2);
}

TEST_F(SearchServiceTest, ClientsSearchingADayNotInMemoryAtOnceShareOneRead) {
  settings_.memory_days = 2;  // the trip of the 20th is not in memory
  Restart();
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  ASSERT_FALSE(service_->index().Contains(kTrip));
  // The first read of the day waits until every client has asked, and a little more, so the
  // others ask while it is under way (as when the day's copy lapses under load).
  constexpr int kClients = 8;
  std::atomic<int> asking{0};
  flaky_->before_load_boarding = [&] {
    while (asking.load() < kClients) std::this_thread::yield();
    absl::SleepFor(absl::Milliseconds(200));
  };
  const int loads_before = flaky_->boarding_loads.load();
  std::vector<std::thread> clients;
  std::vector<size_t> found(kClients, 0);
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      ++asking;
      found[static_cast<size_t>(c)] = Find("DHK", "CXB").items.size();
    });
  }
  for (std::thread& client : clients) client.join();
  flaky_->before_load_boarding = nullptr;
  EXPECT_EQ(flaky_->boarding_loads.load() - loads_before, 1);
  EXPECT_EQ(found, std::vector<size_t>(kClients, 1));

  // A change to the day's trips while a read is under way: who asks after it reads again,
  // rather than take what the earlier read found.
  clock_.Advance(absl::Minutes(1));  // the copy lapses
  std::atomic<bool> first_read{false};
  std::atomic<bool> changed{false};
  flaky_->after_load_boarding = [&] {
    if (first_read.exchange(true)) return;
    while (!changed.load()) std::this_thread::yield();
  };
  std::thread early([&] { EXPECT_EQ(Find("DHK", "CXB").items.size(), 1u); });
  while (!first_read.load()) std::this_thread::yield();
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kCancelled))));
  changed = true;
  EXPECT_EQ(Find("DHK", "CXB").items.size(), 0u);
  early.join();
  flaky_->after_load_boarding = nullptr;
}

TEST_F(SearchServiceTest, ALongJourneyIsFoundAtAStopAWeekLaterInMemoryOrNot) {
  // Review finding: days were chosen by the first stop's date alone, so a trip boarding again
  // days later was missing from searches of its later stops once its first day left memory.
  catalog::Trip trip = CatalogTrip(1, catalog::TripStatus::kPublished);
  for (size_t i = 1; i < trip.stops.size(); ++i) {
    trip.stops[i].arrive_at += absl::Hours(24 * 7);
    trip.stops[i].depart_at += absl::Hours(24 * 7);
  }
  ASSERT_OK(Deliver(TripEvent(trip)));
  EXPECT_EQ(Find("CTG", "CXB", "2026-12-28").items.size(), 1u);  // in memory

  settings_.memory_days = 2;  // 2026-12-10 to 12-14 in memory: the trip boards 12-20 and 12-28
  Restart();
  EXPECT_FALSE(service_->index().Contains(kTrip));
  EXPECT_EQ(Find("CTG", "CXB", "2026-12-28").items.size(), 1u);  // from the snapshot
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 27, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(Find("CTG", "CXB", "2026-12-28").items.size(), 1u);
  EXPECT_TRUE(service_->index().Contains(kTrip));  // it boards on a day in memory again
}

TEST_F(SearchServiceTest, ATripMovedIntoTheDaysInMemoryKeepsItsSeatsTaken) {
  // Review finding: a trip not in memory whose new version boards on a day in memory entered
  // memory without its stored claims, and the next seat event overwrote them.
  settings_.memory_days = 2;
  Restart();
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));  // 12-20
  const nlohmann::json whole = {{"from", 0}, {"to", 2}};
  ASSERT_OK(Deliver(SeatEvent(
      "booking.created.v1",
      {{"hold_id", "h1"}, {"booking_id", "b1"}, {"seats", {"A1", "A2"}}, {"journey", whole}})));
  Restart();  // the trip is in the snapshot only
  catalog::Trip earlier = CatalogTrip(2, catalog::TripStatus::kPublished);
  for (catalog::TripStop& stop : earlier.stops) {
    stop.arrive_at -= absl::Hours(24 * 8);  // to 12-12: a day in memory
    stop.depart_at -= absl::Hours(24 * 8);
  }
  ASSERT_OK(Deliver(TripEvent(earlier)));
  EXPECT_TRUE(service_->index().Contains(kTrip));
  EXPECT_EQ(Find("DHK", "CXB", "2026-12-12").items.at(0).hit.seats_available, 6);
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h2"},
                                                 {"seats", {"B1"}},
                                                 {"journey", whole},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  Restart();
  EXPECT_EQ(Find("DHK", "CXB", "2026-12-12").items.at(0).hit.seats_available, 5);
  EXPECT_TRUE(Find("DHK", "CXB", "2026-12-20").items.empty());  // it left that day
}

TEST_F(SearchServiceTest, ATripEventWhoseSnapshotWriteFailedIsWrittenWhenItComesAgain) {
  // Review finding: memory took the new version, the write failed, and the event delivered
  // again changed nothing, so the snapshot (what other days and restarts read) kept the old.
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  flaky_->failing_puts = 1;
  EXPECT_FALSE(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kCancelled))).ok());
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kCancelled))));
  Restart();
  EXPECT_EQ(service_->index().Listing(kTrip)->version, 2);
  EXPECT_TRUE(Find("DHK", "CXB").items.empty());
}

TEST_F(SearchServiceTest, MemoryKeepsAnsweringWhenTheDaysCannotMove) {
  // Review finding: a failed load of the day entering memory failed every search and event.
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));  // 12-20
  flaky_->failing_loads = 1;
  clock_.Advance(absl::Hours(24));  // a new day: the move's load fails
  EXPECT_EQ(Find("DHK", "CXB").items.size(), 1u);
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h1"},
                                                 {"seats", {"A1"}},
                                                 {"journey", {{"from", 0}, {"to", 2}}},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 7);
  // Tried again a while later, and the days move.
  catalog::Trip later = CatalogTrip(1, catalog::TripStatus::kPublished);
  later.id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900099";
  for (catalog::TripStop& stop : later.stops) {
    stop.arrive_at += absl::Hours(24 * 24);  // 2027-01-13: the day entering memory
    stop.depart_at += absl::Hours(24 * 24);
  }
  ASSERT_OK(Deliver(TripEvent(later)));
  EXPECT_FALSE(service_->index().Contains(later.id));
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Find("DHK", "CXB", "2027-01-13").items.size(), 1u);
  EXPECT_TRUE(service_->index().Contains(later.id));
}

TEST_F(SearchServiceTest, OnlyDaysInMemoryThatNeedNoMoveAreAnsweredFromMemory) {
  settings_.memory_days = 2;  // today is 2026-12-11: 12-10 to 12-14 in memory
  Restart();
  auto from_memory = [&](const std::string& date) {
    SearchQuery query;
    query.from = "DHK";
    query.to = "CXB";
    query.date = date;
    return service_->AnswersFromMemory(query);
  };
  EXPECT_TRUE(from_memory("2026-12-11"));
  EXPECT_TRUE(from_memory("2026-12-14"));
  EXPECT_FALSE(from_memory("2026-12-15"));  // read from the snapshot
  EXPECT_FALSE(from_memory("2026-12-09"));
  // Within a second of the day's end: the search could find the days due to move.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 11, 23, 59, 59), absl::UTCTimeZone()) +
             absl::Milliseconds(500));
  EXPECT_FALSE(from_memory("2026-12-11"));
  // A new day: the days must move first, which reads the snapshot. From memory alone, a
  // search says so instead of moving them.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 12, 10, 0, 0), absl::UTCTimeZone()));
  EXPECT_FALSE(from_memory("2026-12-12"));
  SearchQuery query;
  query.from = "DHK";
  query.to = "CXB";
  query.date = "2026-12-12";
  EXPECT_THAT(service_->SearchFromMemory(query),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  query.date = "2026-12-15";
  EXPECT_THAT(service_->SearchFromMemory(query),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  Find("DHK", "CXB", "2026-12-12");  // moves them
  EXPECT_TRUE(from_memory("2026-12-15"));
  EXPECT_FALSE(from_memory("2026-12-10"));
}

TEST_F(SearchServiceTest, ASearchIsAnsweredFromMemoryOnlyWithItsOperatorsNamesAndPrices) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));  // 12-20
  SearchQuery query;
  query.from = "DHK";
  query.to = "CXB";
  query.date = "2026-12-20";
  EXPECT_FALSE(service_->AnswersFromMemory(query));  // the operator's name is not known yet
  EXPECT_THAT(service_->SearchFromMemory(query),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  EXPECT_EQ(names_.lookups, 0);
  EXPECT_EQ(Find("DHK", "CXB").items.size(), 1u);  // looks it up
  EXPECT_TRUE(service_->AnswersFromMemory(query));
  ASSERT_OK_AND_ASSIGN(SearchResults from_memory, service_->SearchFromMemory(query));
  ASSERT_EQ(from_memory.items.size(), 1u);
  EXPECT_EQ(from_memory.items[0].operator_name, "Shohagh Paribahan");
  EXPECT_EQ(from_memory.items[0].hit.seats_available,
            Find("DHK", "CXB").items[0].hit.seats_available);
  query.from = "CTG";  // boards there too, same operator
  EXPECT_TRUE(service_->AnswersFromMemory(query));

  // Pricing that cannot price from memory (across a network, rules not read) sends it away.
  pricing_ = std::make_shared<HalvingPricing>();
  Restart();
  query.from = "DHK";
  query.date = "2026-12-21";  // nothing boards at DHK that day: no operator to ask about
  EXPECT_TRUE(service_->AnswersFromMemory(query));
  query.date = "2026-12-20";
  Find("DHK", "CXB");
  EXPECT_FALSE(service_->AnswersFromMemory(query));
  EXPECT_THAT(service_->SearchFromMemory(query),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.fare_amount, 75000);  // on the workers: halved
  // Pricing that can: the same prices from memory.
  auto halving = std::make_shared<HalvingPricing>();
  halving->steps_per_trip[kOrg] = 6'000;
  pricing_ = halving;
  Restart();
  Find("DHK", "CXB");
  EXPECT_TRUE(service_->AnswersFromMemory(query));
  ASSERT_OK_AND_ASSIGN(SearchResults priced, service_->SearchFromMemory(query));
  EXPECT_EQ(priced.items.at(0).hit.fare_amount, 75000);
  // Two operators boarding there, light each, but not together: the workers price them.
  catalog::Trip other = CatalogTrip(1, catalog::TripStatus::kPublished);
  other.id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f920000";
  other.org_id = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f920001";
  ASSERT_OK(Deliver(TripEvent(other)));
  halving->steps_per_trip[other.org_id] = 6'000;
  Find("DHK", "CXB");  // its name looked up
  EXPECT_FALSE(service_->AnswersFromMemory(query));
  halving->steps_per_trip[other.org_id] = 4'000;
  EXPECT_TRUE(service_->AnswersFromMemory(query));

  // More trips boarding there that day than one search on an I/O thread should match.
  pricing_ = nullptr;
  Restart();
  Find("DHK", "CXB");
  EXPECT_TRUE(service_->AnswersFromMemory(query));
  for (int i = 0; i < 100; ++i) {
    catalog::Trip trip = CatalogTrip(1, catalog::TripStatus::kPublished);
    trip.id = absl::StrFormat("0192f0c4-6c1b-7c3e-9a2b-5d7e8f91%04d", i);  // not kTrip
    ASSERT_OK(Deliver(TripEvent(trip)));
  }
  EXPECT_FALSE(service_->AnswersFromMemory(query));
  EXPECT_THAT(service_->SearchFromMemory(query),
              StatusIs(absl::StatusCode::kUnavailable, "would_wait"));
}

TEST_F(SearchServiceTest, DatesNotWrittenAsDaysFindNothing) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  for (const std::string date : {"2026-12-20 ", "+2026-12-20", "2026-1-5", "02026-12-2"}) {
    EXPECT_TRUE(Find("DHK", "CXB", date).items.empty()) << date;
  }
}

TEST_F(SearchServiceTest, ADepartedTripLeavesMemoryAndIsStillFoundOnItsDay) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h1"},
                                                 {"seats", {"A1"}},
                                                 {"journey", {{"from", 0}, {"to", 2}}},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  EXPECT_TRUE(service_->index().Contains(kTrip));
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 26, 0, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 7);
  EXPECT_FALSE(service_->index().Contains(kTrip));
  // A late seat event of the departed trip applies to its stored claims.
  ASSERT_OK(Deliver(
      SeatEvent("hold.released.v1",
                {{"hold_id", "h1"}, {"seats", {"A1"}}, {"journey", {{"from", 0}, {"to", 2}}}})));
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 8);
  Restart();
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 8);
}

TEST_F(SearchServiceTest, ATripIsFoundByAnIntermediateStopWithNames) {
  ASSERT_OK(service_->AddStation({"CTG", "Chattogram", "Chattogram"}));
  ASSERT_OK(service_->AddStation({"CXB", "Cox's Bazar", "Cox's Bazar"}));
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  const SearchResults results = Find("CTG", "CXB", "2026-12-21");
  ASSERT_EQ(results.items.size(), 1u);
  const TripResult& result = results.items[0];
  EXPECT_EQ(result.hit.trip_id, kTrip);
  EXPECT_EQ(result.operator_name, "Shohagh Paribahan");
  EXPECT_EQ(result.from.name, "Chattogram");
  EXPECT_EQ(result.to.name, "Cox's Bazar");
  EXPECT_EQ(result.hit.departure, "2026-12-21T04:15:00+06:00");
  EXPECT_EQ(result.hit.fare_amount, 60000);
  EXPECT_EQ(result.hit.seats_available, 8);
  EXPECT_TRUE(result.hit.ac);
  Find("CTG", "CXB", "2026-12-21");
  EXPECT_EQ(names_.lookups, 1);  // names are looked up once
}

TEST_F(SearchServiceTest, AvailabilityFollowsHoldsBookingsAndCancellations) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  const nlohmann::json whole = {{"from", 0}, {"to", 2}};
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h1"},
                                                 {"seats", {"A1", "A2"}},
                                                 {"journey", whole},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  EXPECT_EQ(Find("DHK", "CXB").items[0].hit.seats_available, 6);
  ASSERT_OK(Deliver(SeatEvent(
      "booking.created.v1",
      {{"hold_id", "h1"}, {"booking_id", "b1"}, {"seats", {"A1", "A2"}}, {"journey", whole}})));
  EXPECT_EQ(Find("DHK", "CXB").items[0].hit.seats_available, 6);
  ASSERT_OK(Deliver(SeatEvent("booking.cancelled.v1",
                              {{"booking_id", "b1"}, {"seats", {"A2"}}, {"journey", whole}})));
  EXPECT_EQ(Find("DHK", "CXB").items[0].hit.seats_available, 7);
  // Survives a restart through the snapshot.
  Restart();
  EXPECT_EQ(Find("DHK", "CXB").items[0].hit.seats_available, 7);
}

TEST_F(SearchServiceTest, ReplayedStaleAndMalformedEventsChangeNothing) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kPublished))));
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kCancelled))));
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(2, catalog::TripStatus::kPublished))));
  EXPECT_EQ(Find("DHK", "CXB").items.size(), 1u);
  events::Event broken = TripEvent(CatalogTrip(3, catalog::TripStatus::kCancelled));
  broken.payload = "{\"id\": 7}";
  EXPECT_OK(Deliver(broken));  // logged and dropped, not redelivered forever
  EXPECT_OK(Deliver(SeatEvent("hold.placed.v1", {{"nonsense", true}})));
  EXPECT_EQ(Find("DHK", "CXB").items.size(), 1u);
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(3, catalog::TripStatus::kCancelled))));
  EXPECT_TRUE(Find("DHK", "CXB").items.empty());
  Restart();
  EXPECT_TRUE(Find("DHK", "CXB").items.empty());
}

TEST_F(SearchServiceTest, StationsComeFromEventsAndSurviveARestart) {
  ASSERT_OK(Deliver(events::Event{.id = "s1",
                                  .type = "station.added.v1",
                                  .aggregate_id = "CTG",
                                  .org_id = "platform",
                                  .occurred_at = absl::UnixEpoch(),
                                  .trace_id = "",
                                  .payload = R"({"code":"CTG","name":"Chattogram",
                                                         "city":"Chattogram"})"}));
  Restart();
  auto found = service_->FindStations("chittagong", 5);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].code, "CTG");
}

TEST_F(SearchServiceTest, TripsOfOneBusShareOneStoredSeatPlanAndKeepTheirSeatsAcrossARestart) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));  // kTrip
  for (int i = 0; i < 3; ++i) {
    catalog::Trip trip = CatalogTrip(1, catalog::TripStatus::kPublished);
    trip.id = absl::StrFormat("0192f0c4-6c1b-7c3e-9a2b-5d7e8f9%05d", i);
    ASSERT_OK(Deliver(TripEvent(trip)));
  }
  ASSERT_OK(Deliver(SeatEvent("hold.placed.v1", {{"hold_id", "h1"},
                                                 {"seats", {"A1", "A2"}},
                                                 {"journey", {{"from", 0}, {"to", 2}}},
                                                 {"expires_at", "2027-01-01T00:00:00Z"}})));
  ASSERT_OK_AND_ASSIGN(db::Result plans,
                       database_->Execute("SELECT COUNT(*) FROM search_seat_plans"));
  EXPECT_EQ(plans.rows[0].Int(0), 1);  // one bus, one plan, however many trips
  ASSERT_OK_AND_ASSIGN(db::Result inline_seats,
                       database_->Execute("SELECT COUNT(*) FROM search_trips "
                                          "WHERE listing LIKE '%\"seats\"%'"));
  EXPECT_EQ(inline_seats.rows[0].Int(0), 0);
  Restart();
  std::map<std::string, int> free;
  for (const TripResult& result : Find("DHK", "CXB").items) {
    free[result.hit.trip_id] = result.hit.seats_available;
  }
  EXPECT_EQ(free, (std::map<std::string, int>{{"0192f0c4-6c1b-7c3e-9a2b-5d7e8f900000", 8},
                                              {"0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001", 8},
                                              {"0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002", 8},
                                              {kTrip, 6}}));
}

TEST_F(SearchServiceTest, ASnapshotStoredWithItsSeatsInlineStillLoads) {
  // As search wrote listings before seat plans were stored apart.
  ASSERT_OK(database_->Execute(
      "INSERT INTO search_trips (trip_id, version, listing, claims) VALUES ($1, 1, $2, '{}')",
      {kTrip,
       std::string(
           R"({"org_id":"org-1","bus_class":"seater","ac":false,"amenities":[],)"
           R"("on_sale":true,"route_id":"route-1","seats":["A1","A2","B1"],)"
           R"("seat_kinds":[{"category":"standard","deck":1},)"
           R"({"category":"standard","deck":1},{"category":"standard","deck":1}],)"
           R"("fares":[{"from":"DHK","to":"CXB","amount":90000,"currency":"BDT",)"
           R"("category":""}],"stops":[{"station":"DHK",)"
           R"("arrive_at":"2026-12-20T22:30:00+06:00","depart_at":"2026-12-20T22:30:00+06:00",)"
           R"("boarding":true,"dropping":false,"zone":"Asia/Dhaka"},{"station":"CXB",)"
           R"("arrive_at":"2026-12-21T08:00:00+06:00","depart_at":"2026-12-21T08:00:00+06:00",)"
           R"("boarding":false,"dropping":true,"zone":"Asia/Dhaka"}]})")}));
  Restart();
  const SearchResults results = Find("DHK", "CXB");
  ASSERT_EQ(results.items.size(), 1u);
  EXPECT_EQ(results.items[0].hit.seats_available, 3);
  EXPECT_EQ(results.items[0].hit.fare_amount, 90000);
}

TEST_F(SearchServiceTest, AListingNamingASeatPlanNotStoredFailsTheRestore) {
  ASSERT_OK(Deliver(TripEvent(CatalogTrip(1, catalog::TripStatus::kPublished))));
  ASSERT_OK(database_->Execute("DELETE FROM search_seat_plans"));
  auto restarted = std::make_shared<SearchService>(
      SearchService::Ports{.snapshots = *snapshots_,
                           .operators = names_,
                           .clock = clock_,
                           .logger = log::Logger::ToStderr(log::Level::kError),
                           .pricing = pricing_});
  EXPECT_EQ(restarted->Restore().code(), absl::StatusCode::kDataLoss);
}

TEST_F(SearchServiceTest, PlansNoTripNamesAnyMoreAreDroppedFromTheSnapshot) {
  // The trip's bus is changed five times (2 to 6 rows of 2+2); an older version arrives late.
  for (int version = 1; version <= 5; ++version) {
    catalog::Trip trip = CatalogTrip(version, catalog::TripStatus::kPublished);
    catalog::SetLayout(trip.bus, *fleet::LayoutFromTemplate("2+2", 1 + version));
    ASSERT_OK(Deliver(TripEvent(trip)));
  }
  catalog::Trip late = CatalogTrip(3, catalog::TripStatus::kPublished);
  catalog::SetLayout(late.bus, *fleet::LayoutFromTemplate("2+2", 9));
  ASSERT_OK(Deliver(TripEvent(late)));
  Restart();
  ASSERT_OK_AND_ASSIGN(db::Result plans,
                       database_->Execute("SELECT COUNT(*) FROM search_seat_plans"));
  EXPECT_EQ(plans.rows[0].Int(0), 1);
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 24);  // 6 rows of 4
  Restart();  // and nothing else was dropped
  EXPECT_EQ(Find("DHK", "CXB").items.at(0).hit.seats_available, 24);
}

}  // namespace
}  // namespace travio::search
