// The reporting store on SQLite and on PostgreSQL, driven through the service as events arrive:
// each event counts once however often it is delivered, in whatever order events come, and the
// projections rebuilt from the kept events give the same reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/db/migrations.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/catalog/api/catalog_events.h"
#include "services/fulfillment/api/fulfillment_events.h"
#include "services/order/api/order_events.h"
#include "services/reporting/app/reporting_service.h"
#include "services/reporting/storage/report_sql.h"
#include "services/reporting/storage/sql_report_store.h"

namespace travio::reporting {
namespace {

using testing::SqlEngine;

constexpr char kOrgA[] = "org-a";
constexpr char kOrgB[] = "org-b";
const absl::Time kMonday =
    absl::FromCivil(absl::CivilSecond(2026, 12, 21, 9, 0, 0), absl::UTCTimeZone());

DateRange December() { return {absl::CivilDay(2026, 12, 1), absl::CivilDay(2026, 12, 31)}; }

class ReportStoreTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    storage_ = std::make_unique<testing::SqlTestStorage>(GetParam());
    Open();
  }

  void Open() {
    service_.reset();
    store_.reset();
    database_.reset();
    auto database = storage_->Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = ReportingMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "reporting", migrations));
    store_ = MakeSqlReportStore(*database_);
    service_ =
        std::make_unique<ReportingService>(*store_, log::Logger::ToStderr(log::Level::kError));
  }

  std::string NextId() { return absl::StrCat("0190a2c4-0000-7000-8000-", 100000000000 + next_++); }

  // A trip of `org` on route `route` departing on `day` at 22:30 in Dhaka, stopping at DHK,
  // CML, CTG and CXB, 40 seats for sale.
  events::Event Trip(const std::string& org, const std::string& trip_id, const std::string& route,
                     absl::CivilDay day, int64_t version = 1,
                     catalog::TripStatus status = catalog::TripStatus::kPublished) {
    catalog::PublishedTrip trip;
    trip.id = trip_id;
    trip.org_id = org;
    trip.route_id = route;
    trip.route_name = absl::StrCat("Route ", route);
    trip.version = version;
    trip.status = status;
    const std::string date = absl::FormatCivilTime(day);
    trip.departure = trip.scheduled_departure = absl::StrCat(date, "T22:30:00+06:00");
    trip.local_date = date;
    for (const char* station : {"DHK", "CML", "CTG", "CXB"}) {
      trip.stops.push_back({.station = station, .zone = "Asia/Dhaka"});
    }
    trip.bus.capacity = 40;
    trip.bus.seats_for_sale = 40;
    trip.bus.layout_document = R"({"template":"2+2","rows":10})";
    const auto& contract = status == catalog::TripStatus::kCancelled ? catalog::kTripCancelled
                                                                     : catalog::kTripPublished;
    return contract.Make(trip, {.id = NextId(),
                                .aggregate_id = trip_id,
                                .org_id = org,
                                .occurred_at = kMonday,
                                .trace_id = ""});
  }

  events::Event Confirmed(const std::string& org, const std::string& order_id,
                          const std::string& trip_id, int seats, int64_t total,
                          const std::string& from = "DHK", const std::string& to = "CXB",
                          const std::string& currency = "BDT") {
    order::OrderConfirmed order{.order_id = order_id,
                                .trip_id = trip_id,
                                .from = from,
                                .to = to,
                                .total = {total, currency}};
    for (int i = 0; i < seats; ++i) order.seats.push_back(absl::StrCat("A", i + 1));
    return order::kOrderConfirmed.Make(order, {.id = NextId(),
                                               .aggregate_id = order_id,
                                               .org_id = org,
                                               .occurred_at = kMonday + absl::Seconds(next_),
                                               .trace_id = ""});
  }

  events::Event Cancelled(const std::string& org, const std::string& order_id, int seats,
                          int64_t refund) {
    order::OrderCancelled cancelled{.order_id = order_id,
                                    .status = order::OrderStatus::kPartiallyCancelled,
                                    .refund = {refund, "BDT"},
                                    .tier = "standard"};
    for (int i = 0; i < seats; ++i) cancelled.seats.push_back(absl::StrCat("A", i + 1));
    return order::kOrderCancelled.Make(cancelled, {.id = NextId(),
                                                   .aggregate_id = order_id,
                                                   .org_id = org,
                                                   .occurred_at = kMonday + absl::Seconds(next_),
                                                   .trace_id = ""});
  }

  events::Event Boarded(const std::string& org, const std::string& ticket_id,
                        const std::string& order_id, const std::string& trip_id,
                        const std::string& seat = "A2") {
    return fulfillment::kTicketBoarded.Make({.ticket_id = ticket_id,
                                             .order_id = order_id,
                                             .trip_id = trip_id,
                                             .seat = seat,
                                             .boarded_at = kMonday},
                                            {.id = NextId(),
                                             .aggregate_id = ticket_id,
                                             .org_id = org,
                                             .occurred_at = kMonday,
                                             .trace_id = ""});
  }

  // Org A: trips on the 20th (route r1, two of them) and the 21st (route r2); bookings whole
  // and partial, one partly cancelled; org B sells on a trip of its own.
  std::vector<events::Event> Story() {
    return {
        Trip(kOrgA, "trip-1", "r1", absl::CivilDay(2026, 12, 20)),
        Trip(kOrgA, "trip-2", "r1", absl::CivilDay(2026, 12, 20)),
        Trip(kOrgA, "trip-3", "r2", absl::CivilDay(2026, 12, 21)),
        Confirmed(kOrgA, "order-1", "trip-1", 2, 300000),               // 2 seats x 3 legs
        Confirmed(kOrgA, "order-2", "trip-1", 1, 90000, "CML", "CTG"),  // 1 seat x 1 leg
        Confirmed(kOrgA, "order-3", "trip-2", 3, 450000),               // 3 x 3
        Cancelled(kOrgA, "order-3", 1, 120000),
        Confirmed(kOrgA, "order-4", "trip-3", 4, 600000, "DHK", "CTG"),  // 4 x 2
        Trip(kOrgB, "trip-b", "rb", absl::CivilDay(2026, 12, 20)),
        Confirmed(kOrgB, "order-b", "trip-b", 5, 999999),
    };
  }

  RevenueReport Revenue(Grouping grouping, const std::string& org = kOrgA, int limit = 1000,
                        const std::string& after = "") {
    auto report = service_->Revenue(
        {.org_id = org, .dates = December(), .grouping = grouping, .after = after, .limit = limit});
    EXPECT_OK(report);
    return report.ok() ? *report : RevenueReport{};
  }

  OccupancyReport Occupancy(Grouping grouping, const std::string& org = kOrgA) {
    auto report = service_->Occupancy({.org_id = org, .dates = December(), .grouping = grouping});
    EXPECT_OK(report);
    return report.ok() ? *report : OccupancyReport{};
  }

  std::unique_ptr<testing::SqlTestStorage> storage_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<ReportStore> store_;
  std::unique_ptr<ReportingService> service_;
  int64_t next_ = 1;
};

TEST_P(ReportStoreTest, RevenueGroupsBookingsByServiceDayRouteAndTrip) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport by_day = Revenue(Grouping::kDay);
  EXPECT_EQ(by_day.currency, "BDT");
  EXPECT_EQ(by_day.currencies, std::vector<std::string>{"BDT"});
  ASSERT_EQ(by_day.rows.size(), 2u);
  EXPECT_EQ(by_day.rows[0], (RevenueRow{.key = "2026-12-20",
                                        .label = "2026-12-20",
                                        .bookings = 3,
                                        .seats = 6,
                                        .cancelled_seats = 1,
                                        .gross = 840000,
                                        .refunds = 120000}));
  EXPECT_EQ(by_day.rows[1].key, "2026-12-21");
  EXPECT_EQ(by_day.rows[1].gross, 600000);
  EXPECT_EQ(by_day.totals.bookings, 4);
  EXPECT_EQ(by_day.totals.gross, 1440000);
  EXPECT_EQ(by_day.totals.refunds, 120000);
  EXPECT_EQ(by_day.totals.net(), 1320000);

  const RevenueReport by_route = Revenue(Grouping::kRoute);
  ASSERT_EQ(by_route.rows.size(), 2u);
  EXPECT_EQ(by_route.rows[0].key, "r1");
  EXPECT_EQ(by_route.rows[0].label, "Route r1");
  EXPECT_EQ(by_route.rows[0].net(), 720000);

  const RevenueReport by_trip = Revenue(Grouping::kTrip);
  ASSERT_EQ(by_trip.rows.size(), 3u);
  EXPECT_EQ(by_trip.rows[2].key, "trip-3");
  EXPECT_EQ(by_trip.rows[2].label, "Route r2 2026-12-21T22:30:00+06:00");
  EXPECT_EQ(by_trip.totals, by_day.totals);
}

TEST_P(ReportStoreTest, PagesChainThroughEveryRowAndTotalsCoverTheRange) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport first = Revenue(Grouping::kTrip, kOrgA, 2);
  ASSERT_EQ(first.rows.size(), 2u);
  ASSERT_FALSE(first.next_cursor.empty());
  EXPECT_EQ(first.totals.bookings, 4);
  const RevenueReport second = Revenue(Grouping::kTrip, kOrgA, 2, first.next_cursor);
  ASSERT_EQ(second.rows.size(), 1u);
  EXPECT_EQ(second.rows[0].key, "trip-3");
  EXPECT_TRUE(second.next_cursor.empty());
  EXPECT_TRUE(IsReason(
      service_->Revenue({.org_id = kOrgA, .dates = December(), .after = "' OR 1=1 --"}).status(),
      reasons::kInvalidCursor));
}

TEST_P(ReportStoreTest, OccupancyCountsSeatLegsSoldOverOffered) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const OccupancyReport trips = Occupancy(Grouping::kTrip);
  ASSERT_EQ(trips.rows.size(), 3u);
  const OccupancyRow& first = trips.rows[0];
  EXPECT_EQ(first.key, "trip-1");
  EXPECT_EQ(first.capacity, 40);
  EXPECT_EQ(first.offered, 120);
  EXPECT_EQ(first.sold, 2 * 3 + 1);
  EXPECT_EQ(first.seats_sold, 3);
  EXPECT_EQ(first.load_factor(), LoadFactor(7, 120));
  EXPECT_EQ(trips.rows[1].sold, 2 * 3);  // three booked, one of them given back
  EXPECT_EQ(trips.rows[1].seats_cancelled, 1);
  EXPECT_EQ(trips.rows[2].sold, 4 * 2);
  EXPECT_EQ(trips.totals.trips, 3);
  EXPECT_EQ(trips.totals.offered, 360);
  EXPECT_EQ(trips.totals.sold, 21);

  const OccupancyReport days = Occupancy(Grouping::kDay);
  ASSERT_EQ(days.rows.size(), 2u);
  EXPECT_EQ(days.rows[0].trips, 2);
  EXPECT_EQ(days.rows[0].offered, 240);
  EXPECT_EQ(days.rows[0].sold, 13);

  // A cancelled trip offers nothing; its last status shows.
  ASSERT_OK(service_->OnEvent(Trip(kOrgA, "trip-3", "r2", absl::CivilDay(2026, 12, 21), 2,
                                   catalog::TripStatus::kCancelled)));
  const OccupancyReport after = Occupancy(Grouping::kRoute);
  ASSERT_EQ(after.rows.size(), 2u);
  EXPECT_EQ(after.rows[1].key, "r2");
  EXPECT_EQ(after.rows[1].offered, 0);
  EXPECT_EQ(Occupancy(Grouping::kTrip).rows[2].status, "cancelled");
}

TEST_P(ReportStoreTest, SeatsKeptOnADepartedTripThatNeverBoardedAreNoShows) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  // Trip 2 (three seats booked, A1 given back) boards one ticket, twice delivered, and the
  // ticket of A1, boarded before its seat was given back, counts for nothing; then it departs.
  // Trip 1 boards one but has not departed; org B's boarding names trip 2 in vain.
  const events::Event boarded = Boarded(kOrgA, "ticket-1", "order-3", "trip-2");
  for (const events::Event& event :
       {boarded, boarded, Boarded(kOrgA, "ticket-0", "order-3", "trip-2", "A1"),
        Boarded(kOrgA, "ticket-2", "order-1", "trip-1"),
        Boarded(kOrgB, "ticket-x", "order-b", "trip-2"),
        Trip(kOrgA, "trip-2", "r1", absl::CivilDay(2026, 12, 20), 3,
             catalog::TripStatus::kDeparted)}) {
    ASSERT_OK(service_->OnEvent(event));
  }
  const OccupancyReport trips = Occupancy(Grouping::kTrip);
  ASSERT_EQ(trips.rows.size(), 3u);
  EXPECT_EQ(trips.rows[0].boarded, 1);
  EXPECT_EQ(trips.rows[0].no_shows, 0);  // not departed yet
  EXPECT_EQ(trips.rows[1].status, "departed");
  EXPECT_EQ(trips.rows[1].boarded, 1);
  EXPECT_EQ(trips.rows[1].no_shows, 1);
  EXPECT_EQ(trips.rows[1].offered, 120);  // a departed trip offered its seats all the same
  EXPECT_EQ(trips.totals.boarded, 2);
  EXPECT_EQ(trips.totals.no_shows, 1);
  EXPECT_EQ(Occupancy(Grouping::kDay).rows[0].no_shows, 1);
}

TEST_P(ReportStoreTest, AnotherOrganizationsEventsNeverTakeOverItsTripsOrBookings) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport revenue = Revenue(Grouping::kTrip);
  const OccupancyReport occupancy = Occupancy(Grouping::kTrip);
  // Org B publishes org A's trip id with its stops reversed, a newer version and an earlier
  // date, books org A's order id on it and boards a ticket there: first in the log's order.
  events::Event trip = Trip(kOrgB, "trip-1", "rb", absl::CivilDay(2026, 12, 20), 99);
  auto forged = catalog::kTripPublished.Read(trip);
  ASSERT_OK(forged);
  std::reverse(forged->stops.begin(), forged->stops.end());
  trip.payload = catalog::kTripPublished.encode(*forged);
  trip.occurred_at = kMonday - absl::Hours(1);
  events::Event booking = Confirmed(kOrgB, "order-1", "trip-1", 3, 1);
  booking.occurred_at = kMonday - absl::Hours(1);
  for (const events::Event& event :
       {trip, booking, Boarded(kOrgB, "ticket-9", "order-1", "trip-1")}) {
    ASSERT_OK(service_->OnEvent(event));
  }
  EXPECT_EQ(Revenue(Grouping::kTrip), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);
  auto rebuilt = service_->Rebuild(/*force=*/true);
  ASSERT_OK(rebuilt);
  EXPECT_EQ(Revenue(Grouping::kTrip), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);
  // Org B's own books hold what it claimed, and nothing of org A's.
  EXPECT_EQ(Revenue(Grouping::kTrip, kOrgB).totals.gross, 999999 + 1);
}

TEST_P(ReportStoreTest, APageGoesOnInTheCurrencyOfThePageBefore) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport first = Revenue(Grouping::kTrip, kOrgA, 1);
  ASSERT_EQ(first.currency, "BDT");
  ASSERT_FALSE(first.next_cursor.empty());
  // Meanwhile most bookings come to be paid in dollars.
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK(service_->OnEvent(
        Confirmed(kOrgA, absl::StrCat("usd-", i), "trip-3", 1, 1000, "DHK", "CXB", "USD")));
  }
  EXPECT_EQ(Revenue(Grouping::kTrip).currency, "USD");
  const RevenueReport second = Revenue(Grouping::kTrip, kOrgA, 1000, first.next_cursor);
  EXPECT_EQ(second.currency, "BDT");
  ASSERT_EQ(second.rows.size(), 2u);
  EXPECT_EQ(second.rows[1].gross, 600000);
}

TEST_P(ReportStoreTest, TheLogKeepsNoTravellersEmail) {
  events::Event booking = Confirmed(kOrgA, "order-1", "trip-1", 1, 100);
  auto order = order::kOrderConfirmed.Read(booking);
  ASSERT_OK(order);
  order->email = "karim@example.com";
  booking.payload = order::kOrderConfirmed.encode(*order);
  ASSERT_OK(service_->OnEvent(booking));
  auto log = store_->ScanLog("", 10);
  ASSERT_OK(log);
  ASSERT_EQ(log->events.size(), 1u);
  EXPECT_EQ(log->events[0].payload.find("karim@example.com"), std::string::npos);
  EXPECT_EQ(log->events[0].id, booking.id);
}

TEST_P(ReportStoreTest, CancellationsNeverGiveBackMoreSeatsThanWereBooked) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  // order-2 booked one seat; a forged cancellation gives back five.
  ASSERT_OK(service_->OnEvent(Cancelled(kOrgA, "order-2", 5, 0)));
  const OccupancyReport trips = Occupancy(Grouping::kTrip);
  EXPECT_EQ(trips.rows[0].seats_cancelled, 1);
  EXPECT_EQ(trips.rows[0].sold, 2 * 3);  // order-1's seats only, never below
}

TEST_P(ReportStoreTest, EventsOfOneTripHandledAtOnceLoseNothing) {
  // The monolith on PostgreSQL relays each service's events on a thread of its own, and
  // replicas share a queue: events of one trip may be handled side by side. Each trip's tally
  // must come out as the events' whole set says, as a rebuild computes it.
  ASSERT_OK(service_->OnEvent(Trip(kOrgA, "trip-1", "r1", absl::CivilDay(2026, 12, 20))));
  std::vector<events::Event> events;
  for (int i = 0; i < 48; ++i) {
    const std::string order = absl::StrCat("order-", i);
    events.push_back(Confirmed(kOrgA, order, "trip-1", 1 + i % 3, 10000 + i));
    if (i % 4 == 0) events.push_back(Cancelled(kOrgA, order, 1, 5000));
    if (i % 4 == 1) events.push_back(Boarded(kOrgA, absl::StrCat("ticket-", i), order, "trip-1"));
  }
  std::mt19937 random(11);
  std::shuffle(events.begin(), events.end(), random);
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < events.size(); i += kThreads) {
        // A conflict the store could not settle is delivered again, as the bus would.
        absl::Status status;
        for (int attempt = 0; attempt < 20; ++attempt) {
          status = service_->OnEvent(events[i]);
          if (!absl::IsAborted(status)) break;
        }
        if (!status.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  const RevenueReport revenue = Revenue(Grouping::kTrip);
  const OccupancyReport occupancy = Occupancy(Grouping::kTrip);
  ASSERT_OK(service_->Rebuild(/*force=*/true).status());
  EXPECT_EQ(Revenue(Grouping::kTrip), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);
  EXPECT_EQ(revenue.totals.bookings, 48);
}

TEST_P(ReportStoreTest, TwoBookingsOfATripRecordedAtOnceBothCount) {
  ASSERT_OK(service_->OnEvent(Trip(kOrgA, "trip-1", "r1", absl::CivilDay(2026, 12, 20))));
  ASSERT_OK(service_->OnEvent(Confirmed(kOrgA, "order-z", "trip-1", 1, 100)));
  // Another writer holds the trip's row while two bookings are recorded: on PostgreSQL both
  // read the trip's bookings, then wait to write its tally.
  auto held = database_->Begin();
  ASSERT_OK(held);
  ASSERT_OK(
      (*held)->Execute("UPDATE report_trips SET legs = legs WHERE org_id = $1 AND trip_id = $2",
                       {std::string(kOrgA), std::string("trip-1")}));
  absl::Status a, b;
  auto deliver = [this](const events::Event& event, absl::Status& out) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      out = service_->OnEvent(event);
      if (!absl::IsAborted(out)) return;  // what the store could not settle comes again
    }
  };
  const events::Event first = Confirmed(kOrgA, "order-a", "trip-1", 1, 100);
  const events::Event second = Confirmed(kOrgA, "order-b", "trip-1", 1, 100);
  std::thread one([&] { deliver(first, a); });
  std::thread two([&] { deliver(second, b); });
  if (database_->dialect() == db::Dialect::kPostgres) {
    for (int i = 0; i < 1000; ++i) {
      auto waiting = database_->Execute(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
          "current_database()");
      ASSERT_OK(waiting);
      if (waiting->rows.at(0).Int(0) >= 2) break;
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  ASSERT_OK((*held)->Commit());
  one.join();
  two.join();
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(Revenue(Grouping::kTrip).totals.bookings, 3);
  EXPECT_EQ(Occupancy(Grouping::kTrip).rows.at(0).seats_sold, 3);
}

TEST_P(ReportStoreTest, AnOrganizationSeesOnlyItsOwnTripsAndSales) {
  std::vector<events::Event> events = Story();
  // Org B claims a booking on org A's trip: neither report counts it.
  events.push_back(Confirmed(kOrgB, "order-x", "trip-1", 9, 1));
  for (const events::Event& event : events) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport b = Revenue(Grouping::kTrip, kOrgB);
  ASSERT_EQ(b.rows.size(), 1u);
  EXPECT_EQ(b.rows[0].key, "trip-b");
  EXPECT_EQ(b.totals.gross, 999999);
  EXPECT_EQ(Revenue(Grouping::kDay).totals.gross, 1440000);
  EXPECT_EQ(Occupancy(Grouping::kTrip).rows[0].seats_sold, 3);
  EXPECT_TRUE(Revenue(Grouping::kDay, "org-c").rows.empty());
}

TEST_P(ReportStoreTest, EachEventCountsOnceInAnyOrder) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  const RevenueReport revenue = Revenue(Grouping::kTrip);
  const OccupancyReport occupancy = Occupancy(Grouping::kTrip);

  // A fresh store given the same events shuffled, each delivered twice, and an older version
  // of a trip after its newer one.
  service_.reset();
  store_.reset();
  database_.reset();
  storage_ = std::make_unique<testing::SqlTestStorage>(GetParam());
  Open();
  std::vector<events::Event> events = Story();
  events.push_back(Trip(kOrgA, "trip-1", "r1", absl::CivilDay(2026, 12, 20), 0));
  std::mt19937 random(7);
  std::shuffle(events.begin(), events.end(), random);
  for (const events::Event& event : events) {
    ASSERT_OK(service_->OnEvent(event));
    ASSERT_OK(service_->OnEvent(event));
  }
  EXPECT_EQ(Revenue(Grouping::kTrip), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);
}

TEST_P(ReportStoreTest, TheProjectionsRebuildFromTheKeptEvents) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  ASSERT_OK(service_->OnEvent(Boarded(kOrgA, "ticket-1", "order-1", "trip-1")));
  const RevenueReport revenue = Revenue(Grouping::kDay);
  const OccupancyReport occupancy = Occupancy(Grouping::kTrip);
  auto none = service_->Rebuild(/*force=*/false);
  ASSERT_OK(none);
  EXPECT_EQ(*none, 0);

  // Emptied projections are rebuilt on the next start, as is a rebuild that was cut short.
  for (const char* table : sql::kProjections) {
    ASSERT_OK(database_->Execute(absl::StrCat("DELETE FROM ", table)));
  }
  EXPECT_TRUE(Revenue(Grouping::kDay).rows.empty());
  auto replayed = service_->Rebuild(/*force=*/false);
  ASSERT_OK(replayed);
  EXPECT_EQ(*replayed, static_cast<int64_t>(Story().size()) + 1);
  EXPECT_EQ(Revenue(Grouping::kDay), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);

  ASSERT_OK(store_->BeginRebuild());
  Open();  // the process died mid-rebuild
  auto resumed = service_->Rebuild(/*force=*/false);
  ASSERT_OK(resumed);
  EXPECT_GT(*resumed, 0);
  EXPECT_EQ(Revenue(Grouping::kDay), revenue);
  EXPECT_EQ(Occupancy(Grouping::kTrip), occupancy);
}

TEST_P(ReportStoreTest, EventsThatDoNotAddUpAreDropped) {
  events::Event wrong_org = Trip(kOrgA, "trip-9", "r9", absl::CivilDay(2026, 12, 20));
  wrong_org.org_id = kOrgB;
  events::Event garbage = Confirmed(kOrgA, "order-9", "trip-1", 1, 100);
  garbage.payload = "{";
  events::Event no_day = Trip(kOrgA, "trip-8", "r8", absl::CivilDay(2026, 12, 20));
  auto trip = catalog::kTripPublished.Read(no_day);
  ASSERT_OK(trip);
  trip->local_date = "2026-13-40";
  no_day.payload = catalog::kTripPublished.encode(*trip);
  const events::Event huge = Confirmed(kOrgA, "order-8", "trip-1", 1, int64_t{1} << 62);
  for (const events::Event& event : {wrong_org, garbage, no_day, huge}) {
    ASSERT_OK(service_->OnEvent(event));
  }
  EXPECT_TRUE(Occupancy(Grouping::kTrip, kOrgB).rows.empty());
  EXPECT_TRUE(Occupancy(Grouping::kTrip, kOrgA).rows.empty());
  auto log = store_->ScanLog("", 10);
  ASSERT_OK(log);
  EXPECT_TRUE(log->events.empty());
}

TEST_P(ReportStoreTest, BookingsPageByDepartureThenOrder) {
  for (const events::Event& event : Story()) ASSERT_OK(service_->OnEvent(event));
  std::vector<std::string> seen;
  std::string after;
  do {
    auto page =
        service_->Bookings({.org_id = kOrgA, .dates = December(), .after = after, .limit = 3});
    ASSERT_OK(page);
    for (const BookingLine& line : page->rows) seen.push_back(line.order_id);
    after = page->next_cursor;
  } while (!after.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"order-1", "order-2", "order-3", "order-4"}));
  auto page = service_->Bookings(
      {.org_id = kOrgA,
       .dates = DateRange{absl::CivilDay(2026, 12, 20), absl::CivilDay(2026, 12, 20)}});
  ASSERT_OK(page);
  ASSERT_EQ(page->rows.size(), 3u);
  EXPECT_EQ(page->rows[2].refunds, 120000);
  EXPECT_EQ(page->rows[2].cancelled_seats, 1);
  EXPECT_EQ(page->rows[1].from, "CML");
}

INSTANTIATE_TEST_SUITE_P(Engines, ReportStoreTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::reporting
