// The fleet use cases over the SQL store, on SQLite (a file in a temporary directory) and on
// PostgreSQL (a scratch database on the test run's server): what every engine must agree on.

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "platform/events/outbox.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/operator/app/operator_service.h"
#include "services/operator/storage/sql/sql_fleet_store.h"
#include "services/subscription/api/subscription_client.h"

namespace travio::fleet {
namespace {

using testing::SqlEngine;

// The subscription plan as the operator service meets it, through the quota seam: at most
// `buses` reservations of buses per organization (0: no limit), each kept until given back.
class BusLimit final : public subscription::QuotaGate {
 public:
  explicit BusLimit(size_t buses) : buses_(buses) {}
  absl::StatusOr<bool> Reserve(const subscription::QuotaUse& use) override {
    std::lock_guard lock(mutex_);
    std::set<std::string>& held = held_[{use.org_id, use.quota}];
    if (held.count(use.key)) return false;
    if (buses_ != 0 && use.quota == subscription::Quota::kBuses && held.size() >= buses_) {
      return Error(reasons::kPlanLimitReached, "The plan is full.");
    }
    held.insert(use.key);
    return true;
  }
  absl::Status Release(const subscription::QuotaUse& use) override {
    std::lock_guard lock(mutex_);
    held_[{use.org_id, use.quota}].erase(use.key);
    return absl::OkStatus();
  }
  std::set<std::string> Held(const std::string& org_id, subscription::Quota quota) {
    std::lock_guard lock(mutex_);
    return held_[{org_id, quota}];
  }

 private:
  size_t buses_;
  std::mutex mutex_;
  std::map<std::pair<std::string, subscription::Quota>, std::set<std::string>> held_;
};

class FleetStoreContract : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override { Open(0); }

  void Open(size_t bus_limit) {
    limit_ = std::make_shared<BusLimit>(bus_limit);
    service_.reset();
    store_.reset();
    outbox_.reset();
    database_.reset();
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = OperatorMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "operator", migrations));
    outbox_ = std::make_unique<events::Outbox>("operator", *database_);
    ASSERT_OK(outbox_->Migrate());
    store_ = MakeSqlFleetStore(*database_, *outbox_);
    service_ = std::make_unique<OperatorService>(
        OperatorService::Ports{.store = *store_,
                               .quota = limit_,
                               .clock = clock_,
                               .ids = ids_,
                               .logger = log::Logger::ToStderr(log::Level::kWarn)});
  }

  std::shared_ptr<BusLimit> limit_;

  BusDraft Seater(const std::string& plate) {
    return BusDraft{.plate = plate,
                    .name = "Green Line Scania",
                    .bus_class = "seater",
                    .ac = true,
                    .amenities = {"WiFi", "usb_charging", "wifi"},
                    .layout = *LayoutFromTemplate("2+2", 10)};
  }

  std::vector<std::string> EventTypes() {
    auto pending = outbox_->Pending(1000);
    EXPECT_OK(pending);
    std::vector<std::string> types;
    for (const auto& [sequence, event] : *pending) types.push_back(event.type);
    return types;
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<FleetStore> store_;
  ManualClock clock_;
  IdGenerator ids_{clock_};
  std::unique_ptr<OperatorService> service_;
  const std::string org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900001";
  const std::string other_org_ = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900002";
};

TEST_P(FleetStoreContract, CreatesABusAndReadsItBackWithItsLayout) {
  auto bus = service_->CreateBus(org_, Seater("dhaka metro-ba  11-2345"));
  ASSERT_OK(bus);
  EXPECT_EQ(bus->plate, "DHAKA METRO-BA 11-2345");
  EXPECT_EQ(bus->amenities, (std::vector<std::string>{"wifi", "usb_charging"}));
  EXPECT_EQ(bus->layout.Capacity(), 40);
  auto read = service_->GetBus(org_, bus->id);
  ASSERT_OK(read);
  EXPECT_EQ(read->plate, bus->plate);
  EXPECT_EQ(read->layout.Capacity(), 40);
  EXPECT_EQ(read->layout.decks[0].cells.size(), bus->layout.decks[0].cells.size());
  EXPECT_TRUE(read->ac);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(EventTypes(), std::vector<std::string>{"bus.registered.v1"});
}

TEST_P(FleetStoreContract, PlatesAreUniquePerOrganizationInTheirCanonicalForm) {
  ASSERT_OK(service_->CreateBus(org_, Seater("DHA-1234")));
  auto again = service_->CreateBus(org_, Seater(" dha-1234 "));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(again.status()), "plate_taken");
  EXPECT_OK(service_->CreateBus(other_org_, Seater("DHA-1234")));
  EXPECT_EQ(EventTypes().size(), 2u);  // nothing half-written by the refused one
}

TEST_P(FleetStoreContract, AnotherOrganizationsBusIsNotFound) {
  auto bus = service_->CreateBus(org_, Seater("DHA-1"));
  ASSERT_OK(bus);
  EXPECT_EQ(ReasonOf(service_->GetBus(other_org_, bus->id).status()), "bus_not_found");
  EXPECT_EQ(ReasonOf(service_->UpdateBus(other_org_, bus->id, {.ac = false}).status()),
            "bus_not_found");
  EXPECT_EQ(ReasonOf(service_->DeleteBus(other_org_, bus->id)), "bus_not_found");
  auto page = service_->ListBuses(other_org_, {});
  ASSERT_OK(page);
  EXPECT_TRUE(page->items.empty());
  EXPECT_OK(service_->GetBus(org_, bus->id));
}

TEST_P(FleetStoreContract, InvalidInputIsRefusedWithEveryFieldAndNothingWritten) {
  BusDraft draft = Seater("!");
  draft.bus_class = "limousine";
  draft.amenities = {"Wi Fi"};
  auto bus = service_->CreateBus(org_, draft);
  ASSERT_EQ(bus.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(bus.status())) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"plate", "class", "amenities[0]"}));
  BusDraft empty = Seater("DHA-2");
  empty.layout.decks[0].cells.clear();
  EXPECT_EQ(ReasonOf(service_->CreateBus(org_, empty).status()), "invalid_layout");
  EXPECT_TRUE(EventTypes().empty());
  EXPECT_TRUE(service_->ListBuses(org_, {})->items.empty());
}

TEST_P(FleetStoreContract, UpdatesChangeOnlyWhatIsSetAndBumpTheVersion) {
  auto bus = service_->CreateBus(org_, Seater("DHA-3"));
  ASSERT_OK(bus);
  auto sleeper = LayoutFromTemplate("double-decker", 8);
  auto updated =
      service_->UpdateBus(org_, bus->id, {.bus_class = "sleeper", .ac = false, .layout = *sleeper});
  ASSERT_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->plate, "DHA-3");
  EXPECT_EQ(updated->bus_class, BusClass::kSleeper);
  EXPECT_EQ(updated->layout.Capacity(), 32);
  auto read = service_->GetBus(org_, bus->id);
  EXPECT_EQ(read->layout.Capacity(), 32);
  EXPECT_FALSE(read->ac);
  ASSERT_OK(service_->CreateBus(org_, Seater("DHA-4")));
  EXPECT_EQ(ReasonOf(service_->UpdateBus(org_, bus->id, {.plate = "dha-4"}).status()),
            "plate_taken");
  EXPECT_EQ(service_->GetBus(org_, bus->id)->plate, "DHA-3");
}

TEST_P(FleetStoreContract, DeletesABus) {
  auto bus = service_->CreateBus(org_, Seater("DHA-5"));
  ASSERT_OK(bus);
  EXPECT_OK(service_->DeleteBus(org_, bus->id));
  EXPECT_EQ(ReasonOf(service_->GetBus(org_, bus->id).status()), "bus_not_found");
  EXPECT_EQ(ReasonOf(service_->DeleteBus(org_, bus->id)), "bus_not_found");
  // The plate is free again.
  EXPECT_OK(service_->CreateBus(org_, Seater("DHA-5")));
}

TEST_P(FleetStoreContract, ListsPageThroughEveryBusOnce) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(absl::Seconds(i % 2));  // equal timestamps too: the id breaks ties
    created.push_back(service_->CreateBus(org_, Seater(absl::StrCat("DHA-1", i)))->id);
  }
  std::vector<std::string> seen;
  PageRequest request{.limit = 3};
  for (int pages = 0; pages < 5; ++pages) {
    auto page = service_->ListBuses(org_, request);
    ASSERT_OK(page);
    for (const Bus& bus : page->items) seen.push_back(bus.id);
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  std::sort(created.begin(), created.end());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, created);
  EXPECT_EQ(ReasonOf(service_->ListBuses(org_, {.limit = 0}).status()), "invalid_limit");
  EXPECT_EQ(ReasonOf(service_->ListBuses(org_, {.limit = 5, .cursor = "nope"}).status()),
            "invalid_cursor");
}

TEST_P(FleetStoreContract, EachBusAndStaffMemberIsReservedAgainstThePlanFirst) {
  Open(2);
  auto first = service_->CreateBus(org_, Seater("Q-1"));
  ASSERT_OK(first);
  ASSERT_OK(service_->CreateBus(org_, Seater("Q-2")));
  auto third = service_->CreateBus(org_, Seater("Q-3"));
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(third.status()), "plan_limit_reached");
  EXPECT_EQ(service_->ListBuses(org_, {})->items.size(), 2u);
  EXPECT_EQ(EventTypes(), std::vector<std::string>(2, "bus.registered.v1"));  // none for Q-3
  EXPECT_OK(service_->CreateBus(other_org_, Seater("Q-3")));                  // counted per org
  EXPECT_TRUE(limit_->Held(org_, subscription::Quota::kBuses).count(first->id));
  auto member =
      service_->CreateStaff(org_, {.name = "Rahim", .role = "driver", .phone = "01711000000"});
  ASSERT_OK(member);
  EXPECT_EQ(limit_->Held(org_, subscription::Quota::kStaff), std::set<std::string>({member->id}));
}

TEST_P(FleetStoreContract, ABusThatIsNotCreatedGivesItsReservationBack) {
  Open(0);
  ASSERT_OK(service_->CreateBus(org_, Seater("Q-1")));
  auto taken = service_->CreateBus(org_, Seater("Q-1"));
  EXPECT_EQ(ReasonOf(taken.status()), "plate_taken");
  EXPECT_EQ(limit_->Held(org_, subscription::Quota::kBuses).size(), 1u);
}

TEST_P(FleetStoreContract, RacingRegistrationsOfOnePlateLeaveOneBus) {
  constexpr int kThreads = 8;
  std::atomic<int> created = 0;
  std::atomic<int> taken = 0;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto bus = service_->CreateBus(org_, Seater("RACE-1"));
      if (bus.ok()) ++created;
      if (ReasonOf(bus.status()) == "plate_taken") ++taken;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  EXPECT_EQ(service_->ListBuses(org_, {})->items.size(), 1u);
}

TEST_P(FleetStoreContract, StaffAreCreatedValidatedAndScoped) {
  auto driver = service_->CreateStaff(org_, {.name = " Abdul Karim ",
                                             .role = "driver",
                                             .phone = "+880 1711-000000",
                                             .license_no = "dk-0123456"});
  ASSERT_OK(driver);
  EXPECT_EQ(driver->name, "Abdul Karim");
  EXPECT_EQ(driver->phone, "+8801711000000");
  EXPECT_EQ(driver->license_no, "DK-0123456");
  EXPECT_EQ(driver->role, StaffRole::kDriver);
  EXPECT_EQ(service_->GetStaff(org_, driver->id)->name, "Abdul Karim");
  EXPECT_EQ(ReasonOf(service_->GetStaff(other_org_, driver->id).status()), "staff_not_found");
  auto bad = service_->CreateStaff(org_, {.name = "", .role = "pilot", .phone = "12"});
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(bad.status())) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "role", "phone"}));
  EXPECT_EQ(service_->ListStaff(org_, {})->items.size(), 1u);
  EXPECT_TRUE(service_->ListStaff(other_org_, {})->items.empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, FleetStoreContract,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::fleet
