// The catalog's use cases over the SQL store, on SQLite and on PostgreSQL, with the real
// operator service (its SQL store in the same database) behind the fleet client, and the real
// subscription service (its SQL store there too) behind the quota seam: a test across three
// services, so it lives with the integration tests.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/db/database.h"
#include "platform/events/outbox.h"
#include "platform/metrics/registry.h"
#include "platform/rpc/call_observer.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/server.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/catalog/api/catalog_json.h"
#include "services/catalog/app/catalog_service.h"
#include "services/catalog/rpc/catalog_grpc_service.h"
#include "services/catalog/storage/sql/sql_catalog_store.h"
#include "services/operator/app/operator_service.h"
#include "services/operator/storage/sql/sql_fleet_store.h"
#include "services/subscription/app/subscription_service.h"
#include "services/subscription/storage/sql_subscription_store.h"

namespace travio::catalog {
namespace {

using testing::SqlEngine;

// A clock that moves on by `step` each time it is read: the work that reads it is slow.
class SlowClock final : public Clock {
 public:
  SlowClock(absl::Time start, absl::Duration step)
      : now_us_(absl::ToUnixMicros(start)), step_us_(absl::ToInt64Microseconds(step)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(now_us_ += step_us_); }

 private:
  mutable std::atomic<int64_t> now_us_;
  const int64_t step_us_;
};

class CatalogStoreContract : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    clock_.Set(absl::FromUnixSeconds(1'767'225'600));  // 2026-01-01T00:00:00Z
    Open(0);
  }

  // With a plan that publishes at most `trips_per_month` trips a month (0: any number).
  void Open(int64_t trips_per_month) {
    subscription_.reset();
    catalog_.reset();
    fleet_.reset();
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> fleet_migrations = fleet::OperatorMigrations();
    const std::vector<db::Migration> migrations = CatalogMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "operator", fleet_migrations));
    ASSERT_OK(db::ApplyMigrations(*database_, "catalog", migrations));
    const std::vector<db::Migration> plan_migrations = subscription::SubscriptionMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "subscription", plan_migrations));
    plan_outbox_ = std::make_unique<events::Outbox>("subscription", *database_);
    plan_inbox_ = std::make_unique<events::Inbox>("subscription", *database_);
    ASSERT_OK(plan_outbox_->Migrate());
    ASSERT_OK(plan_inbox_->Migrate());
    plan_store_ = subscription::MakeSqlSubscriptionStore(*database_, *plan_inbox_, *plan_outbox_);
    fleet_outbox_ = std::make_unique<events::Outbox>("operator", *database_);
    outbox_ = std::make_unique<events::Outbox>("catalog", *database_);
    ASSERT_OK(fleet_outbox_->Migrate());
    ASSERT_OK(outbox_->Migrate());
    fleet_store_ = fleet::MakeSqlFleetStore(*database_, *fleet_outbox_);
    store_ = MakeSqlCatalogStore(*database_, *outbox_);
    const log::Logger logger = log::Logger::ToStderr(log::Level::kWarn);
    auto service = subscription::SubscriptionService::Create(
        {.store = *plan_store_, .clock = clock_, .ids = ids_, .logger = logger},
        {.plans = {{.name = "small",
                    .monthly_price = {100'000, "BDT"},
                    .quotas = {{subscription::Quota::kTripsPerMonth, trips_per_month}}}},
         .default_plan = "small",
         .billing_zone = absl::UTCTimeZone()});
    ASSERT_OK(service);
    subscription_ = *service;
    std::shared_ptr<subscription::QuotaGate> plan = subscription_;
    fleet_ = std::make_shared<fleet::OperatorService>(fleet::OperatorService::Ports{
        .store = *fleet_store_, .quota = plan, .clock = clock_, .ids = ids_, .logger = logger});
    catalog_ = std::make_unique<CatalogService>(CatalogService::Ports{.store = *store_,
                                                                      .fleet = fleet_,
                                                                      .quota = plan,
                                                                      .clock = clock_,
                                                                      .ids = ids_,
                                                                      .logger = logger},
                                                CatalogSettings{.crew_rest = absl::Hours(1),
                                                                .generation_horizon_days = 366,
                                                                .station_registrars = {org_}});
  }

  void AddStations() {
    for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
             {"DHK", "Dhaka"}, {"CTG", "Chattogram"}, {"CXB", "Cox's Bazar"}, {"SYL", "Sylhet"}}) {
      ASSERT_OK(catalog_->CreateStation(kPlatformOrg, {.code = code,
                                                       .name = name,
                                                       .city = name,
                                                       .lat = 23,
                                                       .lon = 90,
                                                       .timezone = "Asia/Dhaka"}));
    }
  }

  Route AddRoute() {
    auto route = catalog_->CreateRoute(org_, Route{.name = "Dhaka - Cox's Bazar",
                                                   .stops = {{"DHK", 0, 0, true, false},
                                                             {"CTG", 330, 345, true, true},
                                                             {"CXB", 570, 570, false, true}}});
    EXPECT_OK(route);
    return route.ok() ? *route : Route{};
  }

  fleet::Bus AddBus(const std::string& plate, const std::string& layout = "2+2", int rows = 10,
                    const std::string& org = "") {
    auto bus = fleet_->CreateBus(org.empty() ? org_ : org,
                                 {.plate = plate,
                                  .bus_class = "seater",
                                  .ac = true,
                                  .layout = *fleet::LayoutFromTemplate(layout, rows)});
    EXPECT_OK(bus);
    return bus.ok() ? *bus : fleet::Bus{};
  }

  std::vector<Fare> Fares() {
    return {{"DHK", "CXB", 150000, "BDT", ""}, {"DHK", "CTG", 90000, "BDT", ""}};
  }

  // A 22:30 schedule of the route on `bus` from `start` to `end`, with Fares().
  absl::StatusOr<Schedule> NewSchedule(const Route& route, const fleet::Bus& bus,
                                       const std::string& start, const std::string& end,
                                       std::vector<std::string> days = {"daily"},
                                       bool publish = true) {
    return catalog_->CreateSchedule(org_, {.route_id = route.id,
                                           .bus_id = bus.id,
                                           .departure_time = "22:30",
                                           .days = std::move(days),
                                           .start_date = start,
                                           .end_date = end,
                                           .except_dates = {},
                                           .fares = Fares(),
                                           .publish = publish});
  }

  Trip AddTrip(const Route& route, const fleet::Bus& bus, const std::string& departure,
               const std::string& status = "published") {
    auto trip = catalog_->CreateTrip(org_, {.route_id = route.id,
                                            .bus_id = bus.id,
                                            .departure = departure,
                                            .fares = Fares(),
                                            .status = status});
    EXPECT_OK(trip);
    return trip.ok() ? *trip : Trip{};
  }

  // The catalog as another process would run it on a slow database: its clock moves 300 ms
  // each time it is read, and a call has 1 s to make (or cancel) trips.
  std::unique_ptr<CatalogService> SlowCatalog() {
    return CatalogWithin(slow_clock_, absl::Seconds(1));
  }

  // The catalog on `clock` whose calls answer after `longest_call`.
  std::unique_ptr<CatalogService> CatalogWithin(const Clock& clock, absl::Duration longest_call) {
    return std::make_unique<CatalogService>(
        CatalogService::Ports{.store = *store_,
                              .fleet = fleet_,
                              .quota = subscription_,
                              .clock = clock,
                              .ids = ids_,
                              .logger = log::Logger::ToStderr(log::Level::kWarn)},
        CatalogSettings{.crew_rest = absl::Hours(1),
                        .generation_horizon_days = 366,
                        .longest_call = longest_call,
                        .station_registrars = {org_}});
  }

  std::vector<std::string> EventTypes() {
    auto pending = outbox_->Pending(10000);
    EXPECT_OK(pending);
    std::vector<std::string> types;
    for (const auto& [sequence, event] : *pending) {
      if (event.type.rfind("trip.", 0) == 0) types.push_back(event.type);
    }
    return types;
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> fleet_outbox_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<fleet::FleetStore> fleet_store_;
  std::unique_ptr<CatalogStore> store_;
  std::unique_ptr<events::Outbox> plan_outbox_;
  std::unique_ptr<events::Inbox> plan_inbox_;
  std::unique_ptr<subscription::SubscriptionStore> plan_store_;
  ManualClock clock_;
  SlowClock slow_clock_{absl::FromUnixSeconds(1'767'225'600), absl::Milliseconds(300)};
  IdGenerator ids_{clock_};
  std::shared_ptr<subscription::SubscriptionService> subscription_;
  std::shared_ptr<fleet::OperatorService> fleet_;
  std::unique_ptr<CatalogService> catalog_;
  const std::string org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
  const std::string other_org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002";
};

TEST_P(CatalogStoreContract, StationsAreUniqueAndFoundByPrefix) {
  AddStations();
  const Station dhaka{.code = "dhk",
                      .name = "Dhaka 2",
                      .city = "Dhaka",
                      .lat = 23,
                      .lon = 90,
                      .timezone = "Asia/Dhaka"};
  EXPECT_EQ(ReasonOf(catalog_->CreateStation(org_, dhaka).status()), "code_taken");
  // Only the platform and the organizations configured as registrars add stations.
  auto refused = catalog_->CreateStation(other_org_, {.code = "SYL2",
                                                      .name = "Sylhet",
                                                      .city = "Sylhet",
                                                      .lat = 24.9,
                                                      .lon = 91.9,
                                                      .timezone = "Asia/Dhaka"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(refused.status()), "station_registry_closed");
  auto found = catalog_->ListStations("cox", 10);
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].code, "CXB");
  EXPECT_EQ(catalog_->ListStations("c", 10)->size(), 2u);  // CTG, CXB by code or name
  EXPECT_EQ(catalog_->ListStations("", 10)->size(), 4u);
  EXPECT_TRUE(catalog_->ListStations("%", 10)->empty());  // wildcards are literal
}

TEST_P(CatalogStoreContract, RoutesNeedKnownStations) {
  AddStations();
  auto route = catalog_->CreateRoute(
      org_,
      Route{.name = "x", .stops = {{"DHK", 0, 0, true, true}, {"RAJ", 300, 300, true, true}}});
  EXPECT_EQ(ReasonOf(route.status()), "unknown_station");
  Route good = AddRoute();
  EXPECT_EQ(catalog_->GetRoute(org_, good.id)->stops.size(), 3u);
  EXPECT_EQ(ReasonOf(catalog_->GetRoute(other_org_, good.id).status()), "route_not_found");
}

TEST_P(CatalogStoreContract, TripsShowLocalTimesAndKeepTheirLayoutSnapshot) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-1");
  const Trip trip = AddTrip(route, bus, "2026-01-10T22:30", "draft");
  const nlohmann::json shown = TripJson(trip);
  EXPECT_EQ(shown["departure"], "2026-01-10T22:30:00+06:00");
  EXPECT_EQ(shown["arrival"], "2026-01-11T08:00:00+06:00");
  EXPECT_EQ(shown["stops"][1]["arrive_at"], "2026-01-11T04:00:00+06:00");
  EXPECT_EQ(shown["status"], "draft");
  EXPECT_TRUE(EventTypes().empty());  // drafts are not announced

  // Editing the bus never changes the trip's seats.
  ASSERT_OK(fleet_->UpdateBus(org_, bus.id, {.layout = *fleet::LayoutFromTemplate("2+1", 5)}));
  auto read = catalog_->GetTrip(org_, trip.id);
  ASSERT_OK(read);
  EXPECT_EQ(read->bus.capacity, 40);
  EXPECT_EQ(read->bus.bus_version, 1);

  ASSERT_OK(catalog_->PublishTrip(org_, trip.id));
  EXPECT_EQ(ReasonOf(catalog_->PublishTrip(org_, trip.id).status()), "invalid_transition");
  auto delayed = catalog_->DelayTrip(org_, trip.id, 45);
  ASSERT_OK(delayed);
  EXPECT_EQ(TripJson(*delayed)["departure"], "2026-01-10T23:15:00+06:00");
  EXPECT_EQ(delayed->status, TripStatus::kDelayed);
  auto cancelled = catalog_->CancelTrip(org_, trip.id, "flooding on the highway");
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->cancel_reason, "flooding on the highway");
  EXPECT_EQ(EventTypes(), (std::vector<std::string>{"trip.published.v1", "trip.delayed.v1",
                                                    "trip.cancelled.v1"}));
  EXPECT_EQ(ReasonOf(catalog_->GetTrip(other_org_, trip.id).status()), "trip_not_found");
}

TEST_P(CatalogStoreContract, MovingATripReportsSeatsTheNewBusLacks) {
  AddStations();
  const Route route = AddRoute();
  const Trip trip = AddTrip(route, AddBus("DHA-2", "2+2", 10), "2026-01-10T22:30");
  auto move = catalog_->MoveTrip(org_, trip.id, AddBus("DHA-3", "2+2", 9).id);
  ASSERT_OK(move);
  EXPECT_EQ(move->missing_seats, (std::vector<std::string>{"J1", "J2", "J3", "J4"}));
  EXPECT_EQ(catalog_->GetTrip(org_, trip.id)->bus.capacity, 36);
  EXPECT_EQ(EventTypes().back(), "trip.updated.v1");
  EXPECT_EQ(
      ReasonOf(catalog_->MoveTrip(org_, trip.id, AddBus("X-1", "2+2", 9, other_org_).id).status()),
      "bus_not_found");
}

TEST_P(CatalogStoreContract, TripsRefuseBadFaresAndPastDepartures) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-4");
  auto missing = catalog_->CreateTrip(org_, {.route_id = route.id,
                                             .bus_id = bus.id,
                                             .departure = "2026-01-10T22:30:00+06:00",
                                             .fares = {{"DHK", "CTG", 90000, "BDT", ""}}});
  EXPECT_EQ(ReasonOf(missing.status()), "missing_fare");
  auto past = catalog_->CreateTrip(org_, {.route_id = route.id,
                                          .bus_id = bus.id,
                                          .departure = "2025-12-10T22:30:00+06:00",
                                          .fares = Fares()});
  EXPECT_EQ(past.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(catalog_->ListTrips(org_, {}, {})->items.empty());
}

TEST_P(CatalogStoreContract, AGenerationRunStopsAtThePlansLimitSayingWhatItMade) {
  Open(5);
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-6");
  auto schedule = catalog_->CreateSchedule(org_, {.route_id = route.id,
                                                  .bus_id = bus.id,
                                                  .departure_time = "22:30",
                                                  .days = {"daily"},
                                                  .start_date = "2026-01-01",
                                                  .end_date = "2026-03-31",
                                                  .fares = Fares()});
  ASSERT_OK(schedule);
  auto refused = catalog_->GenerateTrips(org_, schedule->id, "2026-01-14");
  EXPECT_EQ(ReasonOf(refused.status()), "plan_limit_reached");
  EXPECT_EQ(ProblemFieldsOf(refused.status()),
            (std::vector<ProblemField>{{"quota", "trips_per_month"},
                                       {"limit", int64_t{5}},
                                       {"used", int64_t{5}},
                                       {"created", int64_t{5}}}));
  EXPECT_EQ(catalog_->ListTrips(org_, {}, {.limit = 200})->items.size(), 5u);  // whole trips
  auto again = catalog_->GenerateTrips(org_, schedule->id, "2026-01-14");
  EXPECT_EQ(ReasonOf(again.status()), "plan_limit_reached");
  EXPECT_EQ(ProblemFieldsOf(again.status()).back(), (ProblemField{"created", int64_t{0}}));
}

TEST_P(CatalogStoreContract, GeneratingTwiceCreatesNothingNew) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-5");
  auto schedule = catalog_->CreateSchedule(org_, {.route_id = route.id,
                                                  .bus_id = bus.id,
                                                  .departure_time = "22:30",
                                                  .days = {"daily"},
                                                  .start_date = "2026-01-01",
                                                  .end_date = "2026-03-31",
                                                  .except_dates = {"2026-01-05"},
                                                  .fares = Fares()});
  ASSERT_OK(schedule);
  auto first = catalog_->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(first);
  EXPECT_EQ(first->created, 13);  // 1..14 January without the 5th
  EXPECT_EQ(first->existing, 0);
  auto second = catalog_->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(second);
  EXPECT_EQ(second->created, 0);
  EXPECT_EQ(second->existing, 13);
  auto trips = catalog_->ListTrips(org_, {}, {.limit = 200});
  ASSERT_EQ(trips->items.size(), 13u);
  EXPECT_EQ(TripJson(trips->items.front())["departure"], "2026-01-01T22:30:00+06:00");
  EXPECT_EQ(TripJson(trips->items.back())["arrival"], "2026-01-15T08:00:00+06:00");
  auto filtered = catalog_->ListTrips(
      org_, {.from_date = LocalDate{2026, 1, 3}, .to_date = LocalDate{2026, 1, 4}}, {});
  EXPECT_EQ(filtered->items.size(), 2u);
  EXPECT_EQ(EventTypes().size(), 13u);
}

TEST_P(CatalogStoreContract, RacingGenerationsCreateEachTripOnce) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = catalog_->CreateSchedule(org_, {.route_id = route.id,
                                                  .bus_id = AddBus("DHA-6").id,
                                                  .departure_time = "07:00",
                                                  .days = {"mon", "wed", "fri"},
                                                  .start_date = "2026-01-01",
                                                  .end_date = "2026-02-28",
                                                  .fares = Fares()});
  ASSERT_OK(schedule);
  std::atomic<int> created = 0;
  std::latch start(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto result = catalog_->GenerateTrips(org_, schedule->id, "2026-02-28");
      if (result.ok()) created += result->created;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 25);  // Mondays, Wednesdays and Fridays of January and February
  EXPECT_EQ(catalog_->ListTrips(org_, {}, {.limit = 200})->items.size(), 25u);
}

// However slow the database, a generation answers within its time, saying how many dates are
// left, and the calls after it make the rest: each trip once, none missing.
TEST_P(CatalogStoreContract, AGenerationOutOfTimeSaysWhatRemainsAndTheNextCallsMakeIt) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = NewSchedule(route, AddBus("DHA-7"), "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  std::unique_ptr<CatalogService> slow = SlowCatalog();
  auto first = slow->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(first);
  EXPECT_GE(first->created, 1);
  EXPECT_GT(first->remaining, 0) << "the call ran out of time";
  EXPECT_EQ(first->created + first->remaining, 14);
  EXPECT_EQ(first->existing, 0);
  int made = first->created;
  GenerationResult last = *first;
  for (int call = 0; call < 14 && last.remaining > 0; ++call) {
    auto next = slow->GenerateTrips(org_, schedule->id, "2026-01-14");
    ASSERT_OK(next);
    EXPECT_GE(next->created, 1) << "every call makes at least one trip";
    EXPECT_EQ(next->existing, made) << "what the calls before made";
    EXPECT_EQ(next->created + next->existing + next->remaining, 14);
    made += next->created;
    last = *next;
  }
  EXPECT_EQ(last.remaining, 0);
  EXPECT_EQ(made, 14);
  EXPECT_EQ(catalog_->ListTrips(org_, {}, {.limit = 200})->items.size(), 14u);
  EXPECT_EQ(EventTypes().size(), 14u);
  // Called once more: nothing new, nothing left.
  auto again = catalog_->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(again);
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->existing, 14);
  EXPECT_EQ(again->remaining, 0);
}

// A call whose time is gone before it starts (a caller nearly out of patience) still makes a
// trip, so the calls always get on; the dates that already have one, before or after where the
// call stops, count as existing.
TEST_P(CatalogStoreContract, EveryCallMakesATripEvenWithNoTimeLeft) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = NewSchedule(route, AddBus("DHA-10"), "2026-01-03", "2026-03-31");
  ASSERT_OK(schedule);
  ASSERT_OK(catalog_->GenerateTrips(org_, schedule->id, "2026-01-05"));  // the 3rd to the 5th
  // Moved to start on the 1st: the 1st and the 2nd are without a trip, before those made.
  ASSERT_OK(catalog_->UpdateSchedule(
      org_, schedule->id, {.fields = {"start_date"}, .values = {.start_date = "2026-01-01"}}));
  std::unique_ptr<CatalogService> hurried = CatalogWithin(clock_, absl::ZeroDuration());
  std::vector<std::vector<int>> calls;
  for (int call = 0; call < 4; ++call) {
    auto made = hurried->GenerateTrips(org_, schedule->id, "2026-01-05");
    ASSERT_OK(made);
    calls.push_back({made->created, made->existing, made->remaining});
    if (made->remaining == 0) break;
  }
  EXPECT_EQ(calls, (std::vector<std::vector<int>>{{1, 3, 1}, {1, 4, 0}}));
  EXPECT_EQ(catalog_->ListTrips(org_, {}, {.limit = 200})->items.size(), 5u);
}

// Over gRPC a call answers by half of what is left of its caller's deadline, however long
// catalog.longest_call: the server hands the deadline to the use case. The catalog's clock
// moves 300 ms a read, so the 2 s left of a 4 s deadline are spent after a few trips, where
// the 300 s of longest_call would make them all.
TEST_P(CatalogStoreContract, OverGrpcACallAnswersByHalfItsCallersDeadline) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = NewSchedule(route, AddBus("DHA-11"), "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  std::shared_ptr<CatalogClient> patient = CatalogWithin(slow_clock_, absl::Seconds(300));
  CatalogGrpcService service(patient);
  metrics::Registry registry;
  rpc::CallMetrics calls(registry);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  observers.push_back(rpc::ServerCallObserver(calls));
  auto server = rpc::Server::Start("127.0.0.1:0", grpc::InsecureServerCredentials(), {&service},
                                   std::move(observers));
  ASSERT_OK(server);
  const std::shared_ptr<CatalogClient> remote =
      CatalogClient::OverGrpc(grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                                                  grpc::InsecureChannelCredentials()),
                              rpc::CallPolicy{.deadline = absl::Seconds(4)});
  auto first = remote->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(first);
  EXPECT_GE(first->created, 1);
  EXPECT_GT(first->remaining, 0) << "answered by the caller's deadline";
  EXPECT_EQ(first->created + first->remaining, 14);
  // In the same process, nobody waits with a deadline: longest_call only.
  auto rest = patient->GenerateTrips(org_, schedule->id, "2026-01-14");
  ASSERT_OK(rest);
  EXPECT_EQ(rest->created, first->remaining);
  EXPECT_EQ(rest->remaining, 0);
  (*server)->Shutdown(absl::Seconds(1));
}

// Ending a schedule cancels its later trips for at most its time too: the answer says how many
// remain, and the calls after it cancel them, each once.
TEST_P(CatalogStoreContract, AnEndingOutOfTimeSaysWhatRemainsAndTheNextCallsCancelIt) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = NewSchedule(route, AddBus("DHA-8"), "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  ASSERT_OK(catalog_->GenerateTrips(org_, schedule->id, "2026-01-14"));
  std::unique_ptr<CatalogService> slow = SlowCatalog();
  const ScheduleEnd end{.last_date = "2026-01-01", .cancel_later_trips = true};
  auto first = slow->EndSchedule(org_, schedule->id, end);
  ASSERT_OK(first);
  EXPECT_GE(first->cancelled, 1);
  EXPECT_GT(first->remaining, 0) << "the call ran out of time";
  EXPECT_EQ(first->cancelled + first->remaining, 13);
  int cancelled = first->cancelled;
  int remaining = first->remaining;
  for (int call = 0; call < 13 && remaining > 0; ++call) {
    auto next = slow->EndSchedule(org_, schedule->id, end);
    ASSERT_OK(next);
    EXPECT_GE(next->cancelled, 1);
    cancelled += next->cancelled;
    remaining = next->remaining;
  }
  EXPECT_EQ(remaining, 0);
  EXPECT_EQ(cancelled, 13);
  const std::vector<std::string> types = EventTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "trip.cancelled.v1"), 13);
}

// However fast the database, one call cancels at most a hundred trips.
TEST_P(CatalogStoreContract, AnEndingCancelsAtMostAHundredTripsACall) {
  AddStations();
  const Route route = AddRoute();
  auto schedule = NewSchedule(route, AddBus("DHA-9"), "2026-01-01", "2026-12-31");
  ASSERT_OK(schedule);
  auto made = catalog_->GenerateTrips(org_, schedule->id, "2026-04-15");  // 105 days
  ASSERT_OK(made);
  ASSERT_EQ(made->created, 105);
  ASSERT_EQ(made->remaining, 0);
  const ScheduleEnd end{.last_date = "2026-01-01", .cancel_later_trips = true};
  auto first = catalog_->EndSchedule(org_, schedule->id, end);
  ASSERT_OK(first);
  EXPECT_EQ(first->cancelled, kMostTripsCancelledAtOnce);
  EXPECT_EQ(first->remaining, 4);
  auto second = catalog_->EndSchedule(org_, schedule->id, end);
  ASSERT_OK(second);
  EXPECT_EQ(second->cancelled, 4);
  EXPECT_EQ(second->remaining, 0);
}

TEST_P(CatalogStoreContract, CrewDutiesMustNotOverlap) {
  AddStations();
  const Route route = AddRoute();
  const Trip night = AddTrip(route, AddBus("DHA-7"), "2026-01-10T22:30");  // arrives 08:00
  const Trip morning = AddTrip(route, AddBus("DHA-8"), "2026-01-11T08:30");
  const Trip noon = AddTrip(route, AddBus("DHA-9"), "2026-01-11T09:30");
  auto driver =
      fleet_->CreateStaff(org_, {.name = "Abdul Karim", .role = "driver", .phone = "01711000000"});
  auto helper =
      fleet_->CreateStaff(org_, {.name = "Rafiq", .role = "helper", .phone = "01711000001"});
  ASSERT_OK(driver);
  ASSERT_OK(helper);
  ASSERT_OK(catalog_->AssignCrew(org_, night.id, driver->id, "driver"));
  auto too_soon = catalog_->AssignCrew(org_, morning.id, driver->id, "driver");
  EXPECT_EQ(ReasonOf(too_soon.status()), "staff_conflict");
  EXPECT_OK(catalog_->AssignCrew(org_, noon.id, driver->id, "driver"));
  EXPECT_EQ(ReasonOf(catalog_->AssignCrew(org_, morning.id, helper->id, "driver").status()),
            "duty_not_allowed");
  EXPECT_EQ(ReasonOf(catalog_->AssignCrew(org_, night.id, driver->id, "co_driver").status()),
            "already_assigned");
  // A cancelled trip frees its crew.
  ASSERT_OK(catalog_->CancelTrip(org_, noon.id, ""));
  EXPECT_EQ(ReasonOf(catalog_->AssignCrew(org_, morning.id, driver->id, "driver").status()),
            "staff_conflict");  // still too close to the night trip
  EXPECT_EQ(catalog_->ListCrew(org_, night.id)->size(), 1u);
  EXPECT_EQ(ReasonOf(catalog_->AssignCrew(other_org_, night.id, driver->id, "driver").status()),
            "staff_not_found");
}

TEST_P(CatalogStoreContract, RacingAssignmentsOfOnePersonToOverlappingTripsLeaveOne) {
  AddStations();
  const Route route = AddRoute();
  std::vector<Trip> trips;
  for (int i = 0; i < 6; ++i) {
    trips.push_back(
        AddTrip(route, AddBus(absl::StrCat("R-", i)), absl::StrCat("2026-01-10T2", i % 4, ":00")));
  }
  auto driver =
      fleet_->CreateStaff(org_, {.name = "Abdul", .role = "driver", .phone = "01711000000"});
  ASSERT_OK(driver);
  std::atomic<int> assigned = 0;
  std::atomic<int> conflicts = 0;
  std::latch start(static_cast<std::ptrdiff_t>(trips.size()));
  std::vector<std::thread> threads;
  for (const Trip& trip : trips) {
    threads.emplace_back([&, id = trip.id] {
      start.arrive_and_wait();
      auto result = catalog_->AssignCrew(org_, id, driver->id, "driver");
      if (result.ok()) ++assigned;
      if (ReasonOf(result.status()) == "staff_conflict") ++conflicts;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(assigned.load(), 1);
  EXPECT_EQ(conflicts.load(), 5);
}

TEST_P(CatalogStoreContract, BusesInUseAndThePlanLimitOnTrips) {
  Open(2);
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-10");
  EXPECT_FALSE(*catalog_->BusInUse(org_, bus.id));
  const Trip trip = AddTrip(route, bus, "2026-01-10T22:30");
  AddTrip(route, bus, "2026-01-11T22:30");
  EXPECT_TRUE(*catalog_->BusInUse(org_, bus.id));
  auto third = catalog_->CreateTrip(org_, {.route_id = route.id,
                                           .bus_id = bus.id,
                                           .departure = "2026-01-12T22:30",
                                           .fares = Fares(),
                                           .status = "published"});
  EXPECT_EQ(ReasonOf(third.status()), "plan_limit_reached");
  ASSERT_OK(catalog_->CancelTrip(org_, trip.id, ""));  // published this month all the same
  EXPECT_EQ(ReasonOf(catalog_
                         ->CreateTrip(org_, {.route_id = route.id,
                                             .bus_id = bus.id,
                                             .departure = "2026-01-12T22:30",
                                             .fares = Fares(),
                                             .status = "published"})
                         .status()),
            "plan_limit_reached");
  // A draft counts for nothing until it is published.
  const Trip draft = AddTrip(route, bus, "2026-01-12T22:30", "draft");
  EXPECT_EQ(ReasonOf(catalog_->PublishTrip(org_, draft.id).status()), "plan_limit_reached");
  EXPECT_EQ(ReasonOf(catalog_->PublishTrip(org_, "0192f0c4-6c1b-7c3e-9a2b-5d7e8f90ffff").status()),
            "trip_not_found");  // nothing reserved for what does not exist
  // A trip nobody marked completed stops holding its bus once it has arrived, and can no
  // longer be cancelled (that would refund a journey that happened) or delayed.
  clock_.Set(absl::FromUnixSeconds(1'767'225'600) + absl::Hours(24 * 13));  // 2026-01-14
  EXPECT_FALSE(*catalog_->BusInUse(org_, bus.id));
  auto page = catalog_->ListTrips(org_, {.status = TripStatus::kPublished}, {});
  ASSERT_FALSE(page->items.empty());
  EXPECT_EQ(ReasonOf(catalog_->CancelTrip(org_, page->items[0].id, "").status()),
            "trip_already_arrived");
  EXPECT_EQ(ReasonOf(catalog_->DelayTrip(org_, page->items[0].id, 30).status()),
            "trip_already_arrived");
  // February is a new period of the plan.
  clock_.Set(absl::FromUnixSeconds(1'769'904'000));  // 2026-02-01T00:00:00Z
  EXPECT_OK(catalog_->CreateTrip(org_, {.route_id = route.id,
                                        .bus_id = bus.id,
                                        .departure = "2026-02-12T22:30",
                                        .fares = Fares(),
                                        .status = "published"}));
}

// A daily 22:30 schedule over the first quarter of 2026, trips generated up to `until`.
TEST_P(CatalogStoreContract, AChangedScheduleShapesOnlyTheTripsGeneratedAfterIt) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-21");
  const fleet::Bus other_bus = AddBus("DHA-22", "2+1", 8);
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  ASSERT_OK(catalog_->GenerateTrips(org_, schedule->id, "2026-01-07"));

  std::vector<Fare> dearer = Fares();
  dearer[0].amount = 160000;
  auto changed = catalog_->UpdateSchedule(
      org_, schedule->id,
      {.fields = {"departure_time", "fares", "bus_id"},
       .values = {.bus_id = other_bus.id, .departure_time = "21:00", .fares = dearer}});
  ASSERT_OK(changed);
  EXPECT_EQ(changed->departure_minutes, 21 * 60);
  EXPECT_EQ(changed->bus_id, other_bus.id);
  EXPECT_EQ(FormatLocalDate(changed->end_date), "2026-03-31");  // not named: kept
  EXPECT_EQ(changed->created_at, schedule->created_at);
  auto more = catalog_->GenerateTrips(org_, schedule->id, "2026-01-10");
  ASSERT_OK(more);
  EXPECT_EQ(more->created, 3);
  EXPECT_EQ(more->existing, 7);

  auto trips = catalog_->ListTrips(org_,
                                   {.from_date = std::nullopt,
                                    .to_date = std::nullopt,
                                    .route_id = "",
                                    .status = std::nullopt,
                                    .schedule_id = schedule->id},
                                   {.limit = 200});
  ASSERT_OK(trips);
  ASSERT_EQ(trips->items.size(), 10u);
  for (const Trip& trip : trips->items) {
    const bool before = FormatLocalDate(*trip.service_date) <= "2026-01-07";
    EXPECT_EQ(TripJson(trip)["departure"].get<std::string>().substr(11, 5),
              before ? "22:30" : "21:00");
    EXPECT_EQ(trip.fares[0].amount, before ? 150000 : 160000);
    EXPECT_EQ(trip.bus.bus_id, before ? bus.id : other_bus.id);
  }
  // A one-off trip on the route is not the schedule's.
  AddTrip(route, bus, "2026-01-20T08:00:00+06:00");
  EXPECT_EQ(catalog_
                ->ListTrips(org_,
                            {.from_date = std::nullopt,
                             .to_date = std::nullopt,
                             .route_id = "",
                             .status = std::nullopt,
                             .schedule_id = schedule->id},
                            {.limit = 200})
                ->items.size(),
            10u);

  auto listed = catalog_->ListSchedules(org_, route.id, {.limit = 10});
  ASSERT_OK(listed);
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].departure_minutes, 21 * 60);
  EXPECT_TRUE(catalog_->ListSchedules(org_, "0192f0c4-6c1b-7c3e-9a2b-5d7e8f9000ff", {.limit = 10})
                  ->items.empty());
  // Another organization sees none of it and changes nothing.
  EXPECT_TRUE(catalog_->ListSchedules(other_org_, "", {.limit = 10})->items.empty());
  EXPECT_EQ(ReasonOf(catalog_->GetSchedule(other_org_, schedule->id).status()),
            "schedule_not_found");
  EXPECT_EQ(ReasonOf(catalog_
                         ->UpdateSchedule(
                             other_org_, schedule->id,
                             {.fields = {"departure_time"}, .values = {.departure_time = "05:00"}})
                         .status()),
            "schedule_not_found");
  EXPECT_EQ(
      ReasonOf(
          catalog_->EndSchedule(other_org_, schedule->id, {.last_date = "2026-01-01"}).status()),
      "schedule_not_found");
  EXPECT_EQ(catalog_->GetSchedule(org_, schedule->id)->departure_minutes, 21 * 60);
  EXPECT_EQ(FormatLocalDate(catalog_->GetSchedule(org_, schedule->id)->end_date), "2026-03-31");
}

TEST_P(CatalogStoreContract, AScheduleChangeThatDoesNotHoldChangesNothing) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-23");
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-03-31", {"mon", "fri"});
  ASSERT_OK(schedule);
  auto bad_time = catalog_->UpdateSchedule(
      org_, schedule->id, {.fields = {"departure_time"}, .values = {.departure_time = "25:99"}});
  EXPECT_EQ(ReasonOf(bad_time.status()), "validation_failed");
  // Without the end-to-end fare the route is not on sale.
  auto no_whole_route = catalog_->UpdateSchedule(
      org_, schedule->id,
      {.fields = {"fares"}, .values = {.fares = {{"DHK", "CTG", 90000, "BDT", ""}}}});
  EXPECT_EQ(ReasonOf(no_whole_route.status()), "missing_fare");
  auto backwards = catalog_->UpdateSchedule(
      org_, schedule->id, {.fields = {"end_date"}, .values = {.end_date = "2025-12-01"}});
  EXPECT_EQ(ReasonOf(backwards.status()), "invalid_date_range");
  auto route_change = catalog_->UpdateSchedule(
      org_, schedule->id, {.fields = {"route_id"}, .values = {.route_id = route.id}});
  EXPECT_EQ(ReasonOf(route_change.status()), "validation_failed");
  auto other_bus = catalog_->UpdateSchedule(
      org_, schedule->id,
      {.fields = {"bus_id"}, .values = {.bus_id = AddBus("DHA-OTHER", "2+2", 10, other_org_).id}});
  EXPECT_FALSE(other_bus.ok());

  auto kept = catalog_->GetSchedule(org_, schedule->id);
  ASSERT_OK(kept);
  EXPECT_EQ(ScheduleJson(*kept), ScheduleJson(*schedule));
}

TEST_P(CatalogStoreContract, EndingAScheduleStopsItAndCancelsLaterTripsOnlyWhenAsked) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-24");
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  ASSERT_OK(catalog_->GenerateTrips(org_, schedule->id, "2026-01-10"));
  const TripFilter its_trips{.from_date = std::nullopt,
                             .to_date = std::nullopt,
                             .route_id = "",
                             .status = std::nullopt,
                             .schedule_id = schedule->id};
  auto status_of = [&](const std::string& day) {
    const auto trips = catalog_->ListTrips(org_, its_trips, {.limit = 200});
    for (const Trip& trip : trips->items) {
      if (FormatLocalDate(*trip.service_date) == day)
        return std::string(TripStatusName(trip.status));
    }
    return std::string("none");
  };

  // Ended after the 8th, later trips left running.
  auto ended = catalog_->EndSchedule(org_, schedule->id, {.last_date = "2026-01-08"});
  ASSERT_OK(ended);
  EXPECT_EQ(FormatLocalDate(ended->schedule.end_date), "2026-01-08");
  EXPECT_EQ(ended->cancelled, 0);
  EXPECT_EQ(ended->kept, 2);
  EXPECT_EQ(status_of("2026-01-09"), "published");
  auto later = catalog_->GenerateTrips(org_, schedule->id, "2026-01-20");
  ASSERT_OK(later);
  EXPECT_EQ(later->created, 0);  // nothing after the last day

  // Ended after the 6th, later trips cancelled, except one already boarding.
  std::string boarding_id;
  const auto generated = catalog_->ListTrips(org_, its_trips, {.limit = 200});
  for (const Trip& trip : generated->items) {
    if (FormatLocalDate(*trip.service_date) == "2026-01-10") boarding_id = trip.id;
  }
  ASSERT_OK(catalog_->AdvanceTrip(org_, boarding_id, TripStatus::kBoarding));
  const size_t events_before = EventTypes().size();
  auto cut = catalog_->EndSchedule(
      org_, schedule->id,
      {.last_date = "2026-01-06", .cancel_later_trips = true, .reason = "Route withdrawn"});
  ASSERT_OK(cut);
  EXPECT_EQ(cut->cancelled, 3);  // the 7th, 8th and 9th
  EXPECT_EQ(cut->kept, 1);       // the 10th, boarding
  EXPECT_EQ(status_of("2026-01-06"), "published");
  EXPECT_EQ(status_of("2026-01-07"), "cancelled");
  EXPECT_EQ(status_of("2026-01-09"), "cancelled");
  EXPECT_EQ(status_of("2026-01-10"), "boarding");
  const std::vector<std::string> types = EventTypes();
  EXPECT_EQ(std::count(types.begin() + static_cast<long>(events_before), types.end(),
                       "trip.cancelled.v1"),
            3);
  // A later end never lengthens the schedule again.
  auto again = catalog_->EndSchedule(org_, schedule->id, {.last_date = "2026-02-01"});
  ASSERT_OK(again);
  EXPECT_EQ(FormatLocalDate(again->schedule.end_date), "2026-01-06");
  EXPECT_EQ(ReasonOf(catalog_->EndSchedule(org_, schedule->id, {.last_date = "soon"}).status()),
            "validation_failed");
}

// A change made on an older read of a schedule is refused by the store itself.
TEST_P(CatalogStoreContract, AScheduleWrittenFromAnOlderReadChangesNothing) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-25");
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  ASSERT_OK(catalog_->EndSchedule(org_, schedule->id, {.last_date = "2026-01-20"}));
  Schedule stale = *schedule;  // read before the ending
  stale.departure_minutes = 21 * 60;
  bool updated = true;
  ASSERT_OK(store_->InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(updated, unit.UpdateSchedule(stale, stale.version));
    return absl::OkStatus();
  }));
  EXPECT_FALSE(updated);
  auto now = catalog_->GetSchedule(org_, schedule->id);
  EXPECT_EQ(FormatLocalDate(now->end_date), "2026-01-20");
  EXPECT_EQ(now->departure_minutes, 22 * 60 + 30);
  EXPECT_EQ(now->version, schedule->version + 1);
}

// Ending a schedule while a run is making its trips: no trip after the last day survives.
TEST_P(CatalogStoreContract, AnEndingRacingAGenerationLeavesNoTripAfterTheLastDay) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-26");
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-12-31", {"daily"}, /*publish=*/false);
  ASSERT_OK(schedule);
  const TripFilter its_trips{.from_date = std::nullopt,
                             .to_date = std::nullopt,
                             .route_id = "",
                             .status = std::nullopt,
                             .schedule_id = schedule->id};
  absl::Status generated;
  std::thread generation(
      [&] { generated = catalog_->GenerateTrips(org_, schedule->id, "2026-12-31").status(); });
  // The ending comes once the run is under way.
  for (int i = 0; i < 2000; ++i) {
    auto made = catalog_->ListTrips(org_, its_trips, {.limit = 30});
    if (made.ok() && made->items.size() >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto ended = catalog_->EndSchedule(
      org_, schedule->id, {.last_date = "2026-01-10", .cancel_later_trips = true, .reason = ""});
  generation.join();
  ASSERT_OK(ended);
  EXPECT_EQ(ended->remaining, 0);
  // The run either finished before the ending or was told the schedule moved under it.
  EXPECT_TRUE(generated.ok() || ReasonOf(generated) == "concurrent_update") << generated;
  int after_last_day = 0;
  std::optional<ListPosition> position;
  PageRequest page{.limit = 200};
  for (;;) {
    auto trips = catalog_->ListTrips(org_, its_trips, page);
    ASSERT_OK(trips);
    for (const Trip& trip : trips->items) {
      if (FormatLocalDate(*trip.service_date) <= "2026-01-10") continue;
      ++after_last_day;
      EXPECT_EQ(trip.status, TripStatus::kCancelled) << FormatLocalDate(*trip.service_date);
    }
    if (trips->next_cursor.empty()) break;
    page.cursor = trips->next_cursor;
  }
  EXPECT_EQ(ended->cancelled, after_last_day);
}

// Changes racing an ending: whichever comes last, the ending is never undone.
TEST_P(CatalogStoreContract, ChangesRacingAnEndingNeverUndoIt) {
  AddStations();
  const Route route = AddRoute();
  const fleet::Bus bus = AddBus("DHA-27");
  auto schedule = NewSchedule(route, bus, "2026-01-01", "2026-03-31");
  ASSERT_OK(schedule);
  std::vector<std::thread> changers;
  for (int t = 0; t < 4; ++t) {
    changers.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        const std::string time = absl::StrCat(10 + t, ":", i < 10 ? "0" : "", i);
        auto changed = catalog_->UpdateSchedule(
            org_, schedule->id, {.fields = {"departure_time"}, .values = {.departure_time = time}});
        EXPECT_TRUE(changed.ok() || ReasonOf(changed.status()) == "concurrent_update")
            << changed.status();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto ending = catalog_->EndSchedule(org_, schedule->id, {.last_date = "2026-01-15"});
  for (std::thread& changer : changers) changer.join();
  ASSERT_OK(ending);
  EXPECT_EQ(FormatLocalDate(catalog_->GetSchedule(org_, schedule->id)->end_date), "2026-01-15");
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogStoreContract,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::catalog
