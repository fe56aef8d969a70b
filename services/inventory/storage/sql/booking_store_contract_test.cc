// The booking store on SQLite and on PostgreSQL: the database's last word on seat-legs.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/db/database.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/inventory/storage/sql/sql_booking_store.h"

namespace travio::inventory {
namespace {

using testing::SqlEngine;

class BookingStoreContract : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = InventoryMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "inventory", migrations));
    outbox_ = std::make_unique<events::Outbox>("inventory", *database_);
    ASSERT_OK(outbox_->Migrate());
    store_ = MakeSqlBookingStore(*database_, outbox_.get());
  }

  BookingRecord Booking(const std::string& id, std::vector<std::string> seats, Journey journey) {
    std::vector<SeatPrice> prices;
    for (const std::string& seat : seats) prices.push_back({seat, 150000, "BDT"});
    return BookingRecord{.id = id,
                         .trip_id = "trip-1",
                         .org_id = "org-1",
                         .hold_id = "hold-" + id,
                         .seats = std::move(seats),
                         .journey = journey,
                         .prices = std::move(prices),
                         .created_at = absl::FromUnixSeconds(1'800'000'000)};
  }

  int64_t Rows(const std::string& table) {
    auto result = database_->Execute(absl::StrCat("SELECT COUNT(*) FROM ", table));
    EXPECT_OK(result);
    return result.ok() ? result->rows[0].Int(0) : -1;
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<events::Outbox> outbox_;
  std::unique_ptr<BookingStore> store_;
};

TEST_P(BookingStoreContract, ASeatLegIsSoldOnceAndNeighbouringLegsStayOnSale) {
  ASSERT_OK(store_->Book(Booking("b1", {"A1", "A2"}, {0, 1}), {}));
  EXPECT_OK(store_->Book(Booking("b2", {"A1"}, {1, 2}), {}));
  auto refused = store_->Book(Booking("b3", {"A3", "A2"}, {0, 2}), {});
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ReasonOf(refused.status()), "seats_unavailable");
  const auto errors = FieldErrorsOf(refused.status());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "seats[1]");
  // Nothing of the refused booking was written.
  EXPECT_EQ(Rows("inventory_bookings"), 2);
  EXPECT_EQ(Rows("inventory_seat_legs"), 3);
  auto sold = store_->SoldLegs("trip-1");
  EXPECT_EQ(*sold, (std::set<std::pair<std::string, int>>{{"A1", 0}, {"A2", 0}, {"A1", 1}}));
}

TEST_P(BookingStoreContract, BookingAHoldAgainReturnsTheSameBooking) {
  auto first = store_->Book(Booking("b1", {"A1"}, {0, 2}), {});
  ASSERT_OK(first);
  BookingRecord retry = Booking("b1-retry", {"A1"}, {0, 2});
  retry.hold_id = "hold-b1";
  auto again = store_->Book(retry, {});
  ASSERT_OK(again);
  EXPECT_EQ(again->id, "b1");
  EXPECT_EQ(again->prices.size(), 1u);
  EXPECT_EQ(Rows("inventory_bookings"), 1);
}

TEST_P(BookingStoreContract, CancellingSeatsPutsTheirLegsBackOnSale) {
  ASSERT_OK(store_->Book(Booking("b1", {"A1", "A2"}, {0, 2}), {}));
  EXPECT_EQ(ReasonOf(store_->Cancel("trip-1", "b1", {"A9"}, {}).status()), "invalid_seats");
  EXPECT_EQ(ReasonOf(store_->Cancel("trip-1", "nope", {}, {}).status()), "booking_not_found");
  ASSERT_OK(store_->Cancel("trip-1", "b1", {"A1"}, {}));
  EXPECT_OK(store_->Book(Booking("b2", {"A1"}, {0, 2}), {}));
  EXPECT_EQ(ReasonOf(store_->Book(Booking("b3", {"A2"}, {1, 2}), {}).status()),
            "seats_unavailable");
  EXPECT_EQ((*store_->FindByHold("trip-1", "hold-b1"))->seats, std::vector<std::string>{"A2"});
}

events::Event Happened(const std::string& id) {
  return events::Event{.id = id,
                       .type = "booking.confirmed.v1",
                       .aggregate_id = "trip-1",
                       .org_id = "org-1",
                       .occurred_at = absl::FromUnixSeconds(1'800'000'000),
                       .trace_id = "",
                       .payload = "{}"};
}

TEST_P(BookingStoreContract, EventsAreWrittenWithTheChangeOnlyWhenItHappens) {
  ASSERT_OK(store_->Book(Booking("b1", {"A1"}, {0, 2}), {Happened("e1")}));
  // Refused, and a retry of the same hold: neither writes an event.
  EXPECT_FALSE(store_->Book(Booking("b2", {"A1"}, {0, 1}), {Happened("e2")}).ok());
  EXPECT_OK(store_->Book(Booking("b1", {"A1"}, {0, 2}), {Happened("e3")}));
  EXPECT_FALSE(store_->Cancel("trip-1", "b1", {"A7"}, {Happened("e4")}).ok());
  auto cancelled = store_->Cancel("trip-1", "b1", {}, {Happened("e5")});
  ASSERT_OK(cancelled);
  EXPECT_EQ(cancelled->seats, std::vector<std::string>{"A1"});  // as it was
  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  std::vector<std::string> ids;
  for (const auto& [sequence, event] : *pending) ids.push_back(event.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"e1", "e5"}));
}

TEST_P(BookingStoreContract, BookingsListWhatRemainsOfSalesAndBlocks) {
  BookingRecord block = Booking("k1", {"A9", "A10"}, {0, 3});
  block.blocked = true;
  block.prices.clear();
  ASSERT_OK(store_->Book(block, {}));
  ASSERT_OK(store_->Book(Booking("b1", {"A1", "A2"}, {0, 1}), {}));
  ASSERT_OK(store_->Book(Booking("b2", {"A3"}, {1, 2}), {}));
  ASSERT_OK(store_->Cancel("trip-1", "b1", {"A1"}, {}));
  ASSERT_OK(store_->Cancel("trip-1", "b2", {}, {}));
  auto bookings = store_->Bookings("trip-1");
  ASSERT_OK(bookings);
  ASSERT_EQ(bookings->size(), 2u);
  EXPECT_EQ((*bookings)[0].id, "b1");
  EXPECT_EQ((*bookings)[0].seats, std::vector<std::string>{"A2"});
  EXPECT_FALSE((*bookings)[0].blocked);
  EXPECT_EQ((*bookings)[1].id, "k1");
  EXPECT_TRUE((*bookings)[1].blocked);
  EXPECT_TRUE((*bookings)[1].prices.empty());
  EXPECT_EQ((*store_->Find("trip-1", "k1"))->seats, (std::vector<std::string>{"A9", "A10"}));
  EXPECT_FALSE(store_->Find("trip-2", "k1")->has_value());  // another trip's id
}

// Sixteen writers race for random overlapping seats and journeys on one trip: afterwards every
// seat-leg has one owner, and every booking the store accepted owns all its seat-legs.
TEST_P(BookingStoreContract, RacingBookingsNeverSellASeatLegTwice) {
  constexpr int kThreads = 16;
  constexpr int kAttempts = 15;
  std::latch start(kThreads);
  std::mutex mutex;
  std::vector<BookingRecord> accepted;
  std::atomic<int> refused = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1u);
      start.arrive_and_wait();
      for (int attempt = 0; attempt < kAttempts; ++attempt) {
        std::vector<std::string> seats;
        for (int i = 0; i < 2; ++i) {
          const std::string seat = absl::StrCat("A", std::uniform_int_distribution<>(1, 8)(random));
          if (std::find(seats.begin(), seats.end(), seat) == seats.end()) seats.push_back(seat);
        }
        const int from = std::uniform_int_distribution<>(0, 2)(random);
        const int to = std::uniform_int_distribution<>(from + 1, 3)(random);
        const BookingRecord booking =
            Booking(absl::StrCat("t", t, "-", attempt), seats, Journey{from, to});
        auto result = store_->Book(booking, {});
        if (result.ok()) {
          std::lock_guard lock(mutex);
          accepted.push_back(booking);
        } else {
          ASSERT_EQ(ReasonOf(result.status()), "seats_unavailable") << result.status();
          ++refused;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::map<std::pair<std::string, int>, std::string> owner;
  size_t legs = 0;
  for (const BookingRecord& booking : accepted) {
    for (const std::string& seat : booking.seats) {
      for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
        ++legs;
        ASSERT_TRUE(owner.emplace(std::make_pair(seat, leg), booking.id).second)
            << seat << " leg " << leg << " sold twice";
      }
    }
  }
  EXPECT_EQ(Rows("inventory_seat_legs"), static_cast<int64_t>(legs));
  EXPECT_EQ(store_->SoldLegs("trip-1")->size(), legs);
  EXPECT_EQ(static_cast<int>(accepted.size()) + refused.load(), kThreads * kAttempts);
  EXPECT_GT(refused.load(), 0);  // the race really contended
}

INSTANTIATE_TEST_SUITE_P(Engines, BookingStoreContract,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::inventory
