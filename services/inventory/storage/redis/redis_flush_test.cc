// The database has the last word: clients hold and confirm seats through the service on the
// Redis hold store while Redis is flushed (twice) under them. Holds are lost; no seat-leg is
// ever sold twice, and every sale a client was told of is in the database.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/db/migrations.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/wait.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/inventory/app/inventory_service.h"
#include "services/inventory/storage/redis/redis_hold_store.h"
#include "services/inventory/storage/sql/sql_booking_store.h"
#include "services/inventory/storage/sql/sql_trip_store.h"

namespace travio::inventory {
namespace {

const std::string kFlushTrip = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f900077";

// A Redis of this test's own: flushing the run's shared server would pull keys from under
// other tests.
class PrivateRedis {
 public:
  PrivateRedis() {
    port_ = testing::FreePort();
    const std::string command =
        absl::StrCat("redis-server --port ", port_, " --bind 127.0.0.1 --save '' --appendonly no ",
                     "--daemonize yes --dir ", dir_.path().string(), " --pidfile ",
                     (dir_ / "redis.pid").string(), " --logfile ", (dir_ / "redis.log").string());
    started_ = std::system(command.c_str()) == 0;
  }
  ~PrivateRedis() { Cli("shutdown nosave"); }
  bool Cli(const std::string& words) const {
    return std::system(
               absl::StrCat("redis-cli -p ", port_, " ", words, " >/dev/null 2>&1").c_str()) == 0;
  }
  int port() const { return port_; }
  bool started() const { return started_; }

 private:
  testing::TempDir dir_;
  int port_ = 0;
  bool started_ = false;
};

catalog::Trip FlushTestTrip() {
  const absl::Time departure = absl::Now() + absl::Hours(48);
  catalog::Trip trip;
  trip.id = kFlushTrip;
  trip.org_id = "org";
  trip.route_id = "route";
  trip.route_name = "Dhaka - Cox's Bazar";
  trip.bus = {.bus_id = "bus", .bus_version = 1, .plate = "DHA-1"};
  catalog::SetLayout(trip.bus, *fleet::LayoutFromTemplate("2+2", 4));
  trip.stops = {{"DHK", "Asia/Dhaka", departure, departure, true, false},
                {"CTG", "Asia/Dhaka", departure + absl::Minutes(330),
                 departure + absl::Minutes(345), true, true},
                {"CXB", "Asia/Dhaka", departure + absl::Minutes(570),
                 departure + absl::Minutes(570), false, true}};
  trip.fares = {{"DHK", "CTG", 90000, "BDT", ""},
                {"CTG", "CXB", 60000, "BDT", ""},
                {"DHK", "CXB", 150000, "BDT", ""}};
  trip.status = catalog::TripStatus::kPublished;
  trip.version = 1;
  return trip;
}

TEST(RedisFlushTest, FlushingRedisMidSaleNeverSellsASeatLegTwice) {
  PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  for (int i = 0; i < 200 && !redis.Cli("ping"); ++i) absl::SleepFor(absl::Milliseconds(10));
  auto kv = kv::OpenRedis({.host = "127.0.0.1", .port = redis.port(), .pool_size = 16});
  ASSERT_OK(kv);
  testing::TempDir dir;
  auto database = db::OpenSqlite({(dir / "inventory.db").string()});
  ASSERT_OK(database);
  const std::vector<db::Migration> migrations = InventoryMigrations();
  ASSERT_OK(db::ApplyMigrations(**database, "inventory", migrations));
  events::Outbox outbox("inventory", **database);
  ASSERT_OK(outbox.Migrate());
  auto trips = MakeSqlTripStore(**database);
  auto bookings = MakeSqlBookingStore(**database, &outbox);
  auto sink = MakeOutboxEventSink(**database, outbox);
  auto holds = MakeRedisHoldStore(**kv);
  SystemClock clock;
  IdGenerator ids(clock);
  InventoryService service(
      InventoryService::Ports{.trips = *trips,
                              .bookings = *bookings,
                              .holds = *holds,
                              .events = *sink,
                              .clock = clock,
                              .ids = ids,
                              .logger = log::Logger::ToStderr(log::Level::kError)},
      InventorySettings{.hold_ttl = absl::Minutes(5),
                        .limits = {.max_seats = 3, .max_holds = 1000},
                        .listing_cache_ttl = absl::Seconds(2)});
  ASSERT_OK(service.OnTripChanged(catalog::Publish(FlushTestTrip())));

  constexpr int kThreads = 16;
  constexpr int kAttempts = 25;
  const char* const kStops[] = {"DHK", "CTG", "CXB"};
  std::mutex mutex;
  std::vector<BookingRecord> told;  // sales the clients were told of
  std::atomic<int> lost_holds{0};
  std::atomic<int> done{0};
  std::atomic<int> attempts{0};
  std::latch start(kThreads + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 31337u + 1u);
      start.arrive_and_wait();
      for (int attempt = 0; attempt < kAttempts; ++attempt, ++attempts) {
        std::set<std::string> picked;
        const int count = 1 + static_cast<int>(random() % 2);
        while (static_cast<int>(picked.size()) < count) {
          picked.insert(absl::StrCat(std::string(1, static_cast<char>('A' + random() % 4)),
                                     1 + random() % 4));
        }
        const int from = static_cast<int>(random() % 2);
        const int to = from + 1 + static_cast<int>(random() % (2 - from));
        const std::string holder = absl::StrCat("client-", t);
        auto held = service.HoldSeats(HoldCommand{.holder = holder,
                                                  .trip_id = kFlushTrip,
                                                  .seats = {picked.begin(), picked.end()},
                                                  .from = kStops[from],
                                                  .to = kStops[to]});
        if (!held.ok()) {
          const std::string reason = ReasonOf(held.status());
          ASSERT_TRUE(reason == "seats_unavailable") << held.status();
          continue;
        }
        auto booked = service.ConfirmHold(holder, kFlushTrip, held->hold_id, held->version);
        if (booked.ok()) {
          std::lock_guard lock(mutex);
          told.push_back(*booked);
          continue;
        }
        // Lost with a flush, or refused by the database: never an internal error.
        const std::string reason = ReasonOf(booked.status());
        ASSERT_TRUE(reason == "hold_not_found" || reason == "seats_unavailable") << booked.status();
        ++lost_holds;
      }
      ++done;
    });
  }
  start.arrive_and_wait();
  // Flush twice while the clients run: a third of the way and two thirds of the way through
  // their attempts.
  for (int flush = 1; flush <= 2; ++flush) {
    ASSERT_TRUE(testing::WaitFor(
        [&] { return attempts.load() >= flush * kThreads * kAttempts / 3 || done == kThreads; }));
    ASSERT_TRUE(redis.Cli("flushall"));
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(done.load(), kThreads);

  // Every sale a client was told of is in the database, with every seat-leg its own.
  auto stored = bookings->Bookings(kFlushTrip);
  ASSERT_OK(stored);
  std::map<std::pair<std::string, int>, std::string> owner;
  for (const BookingRecord& booking : *stored) {
    for (const std::string& seat : booking.seats) {
      for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
        auto [it, fresh] = owner.emplace(std::make_pair(seat, leg), booking.id);
        EXPECT_TRUE(fresh) << seat << " leg " << leg << " sold to " << it->second << " and "
                           << booking.id;
      }
    }
  }
  for (const BookingRecord& booking : told) {
    for (const std::string& seat : booking.seats) {
      for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
        EXPECT_EQ(owner[std::make_pair(seat, leg)], booking.id) << seat << " leg " << leg;
      }
    }
  }
  EXPECT_EQ(told.size(), stored->size());
  EXPECT_GT(told.size(), 5u);
  // After the flushes the hot state was rebuilt from the database: the seat map agrees.
  auto map = service.GetSeatMap(kFlushTrip, "DHK", "CTG");
  ASSERT_OK(map);
  for (const SeatMapDeck& deck : map->decks) {
    for (const SeatMapCell& cell : deck.cells) {
      if (owner.count({cell.label, 0})) {
        EXPECT_EQ(cell.status, "booked") << cell.label;
      }
    }
  }
}

}  // namespace
}  // namespace travio::inventory
