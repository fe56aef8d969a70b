// Search's snapshot on SQLite and on PostgreSQL: seat plans stored once and dropped when no
// trip names them any more, without racing a trip another process is writing meanwhile.
#include "services/search/storage/sql/sql_snapshot_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/str_replace.h"
#include "platform/db/migrations.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"

namespace travio::search {
namespace {

using testing::SqlEngine;

TripListing Listing(const std::string& trip_id, int64_t version, std::vector<std::string> seats) {
  TripListing listing;
  listing.trip_id = trip_id;
  listing.org_id = "org-1";
  listing.version = version;
  listing.on_sale = true;
  listing.bus_class = "seater";
  listing.route_id = "route-1";
  listing.stops = {
      {"DHK", "2026-12-20T22:30:00+06:00", "2026-12-20T22:30:00+06:00", true, false, "Asia/Dhaka"},
      {"CXB", "2026-12-21T08:00:00+06:00", "2026-12-21T08:00:00+06:00", false, true, "Asia/Dhaka"}};
  listing.fares = {{"DHK", "CXB", 150000, "BDT", ""}};
  listing.seat_plan = std::make_shared<const SeatPlan>(SeatPlan{.seats = std::move(seats)});
  return listing;
}

const DayRange kDecember{"2026-12-01", "2026-12-31"};

class SqlSnapshotStoreTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = SearchMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "search", migrations));
    store_ = MakeSqlSnapshotStore(*database_);
  }

  std::vector<std::string> PlanIds() {
    auto result = database_->Execute("SELECT id FROM search_seat_plans ORDER BY id");
    EXPECT_OK(result);
    std::vector<std::string> ids;
    if (result.ok()) {
      for (const db::Row& row : result->rows) ids.push_back(row.Text(0));
    }
    return ids;
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<SnapshotStore> store_;
};

TEST_P(SqlSnapshotStoreTest, APlanNoTripNamesAnyMoreIsDroppedAtTheNextLoad) {
  ASSERT_OK(store_->PutTrip(Listing("t1", 1, {"A1", "A2"})));
  ASSERT_OK(store_->PutTrip(Listing("t2", 1, {"A1", "A2"})));  // the same plan
  EXPECT_EQ(PlanIds().size(), 1u);
  ASSERT_OK(store_->PutTrip(Listing("t1", 2, {"B1"})));  // t1's bus changed; t2 keeps the plan
  EXPECT_EQ(PlanIds().size(), 2u);
  ASSERT_OK(store_->Load(kDecember).status());
  EXPECT_EQ(PlanIds().size(), 2u);  // both still named
  ASSERT_OK(store_->PutTrip(Listing("t2", 2, {"B1"})));
  ASSERT_OK_AND_ASSIGN(Snapshot snapshot, store_->Load(kDecember));
  EXPECT_EQ(PlanIds().size(), 1u);
  ASSERT_EQ(snapshot.trips.size(), 2u);
  for (const auto& [listing, claims] : snapshot.trips) {
    EXPECT_EQ(listing.seat_plan->seats, std::vector<std::string>{"B1"}) << listing.trip_id;
  }
}

TEST_P(SqlSnapshotStoreTest, APlanNamedByATripAnotherProcessIsWritingIsNotDropped) {
  if (GetParam() == SqlEngine::kSqlite) GTEST_SKIP() << "one writer at a time: no such race";
  // Review finding: dropping unnamed plans at Load raced a trip written meanwhile (a search
  // process restarting while another still follows events): the trip's plan was dropped and
  // every later Load failed. The plan is now a foreign key of the listing.
  ASSERT_OK(store_->PutTrip(Listing("t1", 1, {"A1", "A2"})));
  const std::vector<std::string> before = PlanIds();
  ASSERT_EQ(before.size(), 1u);
  const std::string unnamed = before[0];
  ASSERT_OK(store_->PutTrip(Listing("t1", 2, {"B1"})));  // `unnamed` is named by nobody now
  ASSERT_OK_AND_ASSIGN(db::Result stored,
                       database_->Execute("SELECT listing, plan_id FROM search_trips"));
  const std::string t2_listing =
      absl::StrReplaceAll(stored.rows[0].Text(0), {{stored.rows[0].Text(1), unnamed}});

  // Another process writes t2 naming that plan; its transaction is still open.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<db::Database> other, storage_.Open());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<db::Transaction> writing, other->Begin());
  ASSERT_OK(writing
                ->Execute("INSERT INTO search_trips (trip_id, version, listing, claims, plan_id) "
                          "VALUES ('t2', 1, $1, '{}', $2)",
                          {t2_listing, unnamed})
                .status());
  absl::StatusOr<Snapshot> first = absl::UnknownError("not loaded");
  std::thread loading([&] { first = store_->Load(kDecember); });
  // The order of the two, not a duration, is what the test needs: the Load's sweep starts
  // while the other transaction is open (it then waits for it, or, without the key, drops).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_OK(writing->Commit());
  loading.join();
  ASSERT_OK(first.status());
  ASSERT_OK_AND_ASSIGN(Snapshot again, store_->Load(kDecember));
  bool found = false;
  for (const auto& [listing, claims] : again.trips) {
    if (listing.trip_id != "t2") continue;
    found = true;
    EXPECT_EQ(listing.seat_plan->seats, (std::vector<std::string>{"A1", "A2"}));
  }
  EXPECT_TRUE(found);
}

TEST_P(SqlSnapshotStoreTest, OnlyTheDaysAskedForAreLoadedTheOthersOnDemand) {
  ASSERT_OK(store_->PutTrip(Listing("t1", 1, {"A1", "A2"})));  // leaves 2026-12-20
  TripListing later = Listing("t2", 1, {"A1", "A2"});
  later.stops[0].depart_at = "2027-03-01T07:00:00+06:00";
  ASSERT_OK(store_->PutTrip(later));
  const SeatClaim held{.seats = {"A1"}, .from = 0, .to = 1};
  ASSERT_OK(store_->PutClaims("t2", {{"h1", held}}));
  ASSERT_OK(store_->PutClaims("t9", {{"h2", held}}));  // its trip has not arrived yet
  // A long journey: it also boards at a stop a week after its first.
  TripListing long_haul = Listing("t3", 1, {"A1"});
  long_haul.stops.insert(long_haul.stops.begin() + 1,
                         StopTime{"CTG", "2026-12-27T09:00:00+06:00", "2026-12-27T09:30:00+06:00",
                                  true, true, "Asia/Dhaka"});
  ASSERT_OK(store_->PutTrip(long_haul));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredTrip> week_later,
                       store_->LoadBoarding({"2026-12-27", "2026-12-27"}));
  ASSERT_EQ(week_later.size(), 1u);
  EXPECT_EQ(week_later[0].first.trip_id, "t3");

  ASSERT_OK_AND_ASSIGN(Snapshot snapshot, store_->Load({"2026-12-19", "2026-12-21"}));
  std::set<std::string> loaded;
  for (const auto& [listing, claims] : snapshot.trips) loaded.insert(listing.trip_id);
  EXPECT_EQ(loaded, (std::set<std::string>{"t1", "t3", "t9"}));

  ASSERT_OK_AND_ASSIGN(std::vector<StoredTrip> march,
                       store_->LoadBoarding({"2027-02-28", "2027-03-02"}));
  ASSERT_EQ(march.size(), 1u);
  EXPECT_EQ(march[0].first.trip_id, "t2");
  EXPECT_EQ(march[0].first.seat_plan->seats, (std::vector<std::string>{"A1", "A2"}));
  EXPECT_EQ(march[0].second.at("h1").seats, std::vector<std::string>{"A1"});
  EXPECT_TRUE(store_->LoadBoarding({"2027-03-02", "2027-03-31"})->empty());

  ASSERT_OK_AND_ASSIGN(std::optional<StoredTrip> one, store_->LoadTrip("t2"));
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->first.version, 1);
  ASSERT_OK_AND_ASSIGN(std::optional<StoredTrip> claims_only, store_->LoadTrip("t9"));
  ASSERT_TRUE(claims_only.has_value());
  EXPECT_EQ(claims_only->first.version, 0);
  EXPECT_FALSE(store_->LoadTrip("nobody")->has_value());
  EXPECT_EQ(store_->LoadBoarding({"2027-03-01", "not a day"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(SqlSnapshotStoreTest, TripsStoredBeforeBoardingDaysWereRecordedGetThemFromTheMigration) {
  ASSERT_OK(store_->PutTrip(Listing("t1", 1, {"A1", "A2"})));
  // The table as migration 4 left it: no departure day.
  ASSERT_OK(database_->Execute("DROP INDEX search_trips_by_boarding").status());
  ASSERT_OK(database_->Execute("ALTER TABLE search_trips DROP COLUMN boards_from").status());
  ASSERT_OK(database_->Execute("ALTER TABLE search_trips DROP COLUMN boards_until").status());
  ASSERT_OK(
      database_->Execute("DELETE FROM schema_migrations WHERE module = 'search' AND version = 5")
          .status());
  const std::vector<db::Migration> migrations = SearchMigrations();
  ASSERT_OK(db::ApplyMigrations(*database_, "search", migrations));
  ASSERT_OK_AND_ASSIGN(std::vector<StoredTrip> found,
                       store_->LoadBoarding({"2026-12-20", "2026-12-20"}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first.trip_id, "t1");
  EXPECT_TRUE(store_->LoadBoarding({"2026-12-21", "2026-12-21"})->empty());  // CXB drops only
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlSnapshotStoreTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::search
