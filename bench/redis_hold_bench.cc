// The Redis hold script's rate on a Redis server (bench/inventory.sh starts one and runs
// `redis-benchmark -t set` against it in the same run): THREADS clients, each with its own
// connection, run the hold script (one seat, one leg of 1,000 loaded trips of 40 seats, a
// 1 ms hold so seats come free again) as fast as they can for SECONDS.
//
//   travio_redis_hold_bench PORT [SECONDS] [THREADS]
//   travio_redis_hold_bench PORT --redis-benchmark DIR
//   travio_redis_hold_bench PORT --sweep HOLDS
//
// --redis-benchmark loads 1,000 trips and writes what redis-benchmark needs to run the same
// script itself (bench/inventory.sh, -r 1000): DIR/hold.lua, the script, and DIR/args, the
// arguments after EVALSHA's hash, one per line, with redis-benchmark's __rand_int__ in the
// trip, the hold id and the seat: the script measured by the load generator `-t set` is
// measured with, on the same workload as the threads' run. --sweep measures the store's
// sweeper on HOLDS expired holds.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/bench_stats.h"
#include "platform/kv/redis_store.h"
#include "services/inventory/storage/hold_json.h"
#include "services/inventory/storage/redis/redis_hold_store.h"

namespace {

// Loads 1,000 trips of three stops and 40 seats (S0..S39), named by `name_of`;
// empty when the store fails.
std::vector<std::string> LoadTrips(travio::inventory::HoldStore& store,
                                   const std::function<std::string(int)>& name_of) {
  std::vector<std::string> trips;
  for (int t = 0; t < 1000; ++t) {
    travio::inventory::TripSeats seats{
        .trip_id = name_of(t), .stops = {"A", "B", "C"}, .places = {}};
    for (int s = 0; s < 40; ++s) seats.places.push_back({absl::StrCat("S", s), "standard", true});
    if (!store.DropTrip(seats.trip_id).ok() || !store.LoadTrip(seats, {}).ok()) return {};
    trips.push_back(seats.trip_id);
  }
  return trips;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace travio;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [SECONDS] [THREADS]\n", argv[0]);
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const int seconds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 10;
  const bool for_redis_benchmark = argc > 3 && std::string(argv[2]) == "--redis-benchmark";
  const int threads = argc > 3 && !for_redis_benchmark ? std::atoi(argv[3]) : 50;
  auto redis = kv::OpenRedis({.host = "127.0.0.1", .port = port, .pool_size = threads});
  if (!redis.ok()) {
    std::fprintf(stderr, "%s\n", std::string(redis.status().message()).c_str());
    return 1;
  }
  auto store = inventory::MakeRedisHoldStore(**redis);
  if (argc > 3 && std::string(argv[2]) == "--sweep") {
    // The store's sweeper as inventory runs it, without its pause: HOLDS holds of 1 ms made
    // through the store on 1,000 trips (by 8 threads), then swept until none is left.
    const int holds = std::max(1, std::atoi(argv[3]));
    const std::vector<std::string> trips =
        LoadTrips(*store, [](int t) { return absl::StrCat("bench-sweep-", t); });
    if (trips.empty()) return 1;
    std::atomic<int> made{0};
    std::vector<std::thread> makers;
    for (int w = 0; w < 8; ++w) {
      makers.emplace_back([&, w] {
        for (int i = w; i < holds; i += 8) {
          inventory::HoldRecord record{.trip_id = trips[static_cast<size_t>(i) % trips.size()],
                                       .org_id = "org",
                                       .hold = {},
                                       .prices = {}};
          record.hold.id = absl::StrCat("hs-", i);
          record.hold.holder = absl::StrCat("bench-sweep-", i);
          record.hold.seats = {absl::StrCat("S", (i / 1000) % 40)};
          record.hold.journey = {0, 1};
          if (store->Hold(record, absl::Milliseconds(1), {.max_seats = 1, .max_holds = 1}).ok()) {
            ++made;
          }
        }
      });
    }
    for (std::thread& maker : makers) maker.join();
    absl::SleepFor(absl::Milliseconds(10));
    const auto started = std::chrono::steady_clock::now();
    int64_t swept = 0;
    for (;;) {
      auto batch = store->SweepExpired(1000);
      if (!batch.ok()) return 1;
      if (batch->empty()) break;
      swept += static_cast<int64_t>(batch->size());
    }
    const double elapsed = bench::MicrosSince(started) / 1e6;
    bench::Report("redis.sweep_holds_made", made.load(), "holds");
    bench::Report("redis.sweep_holds_swept", static_cast<double>(swept), "holds");
    bench::Report("redis.sweep_holds_per_second", static_cast<double>(swept) / elapsed, "holds/s");
    for (const std::string& trip : trips) (void)store->DropTrip(trip);
    return swept == made.load() ? 0 : 1;
  }
  if (for_redis_benchmark) {
    // 1,000 trips, as in the threads' run below, named as redis-benchmark's -r 1000 expands
    // __rand_int__ (twelve digits): each call names a random trip in each key (the script reads
    // the meta key of one and writes the others, which only needs every trip loaded) and a
    // random seat of 1,000, so with 1 ms holds nearly every call makes a hold, and each trip's
    // hashes stay within 1,000 fields.
    if (LoadTrips(*store, [](int t) { return absl::StrFormat("bench-rb-%012d", t); }).empty()) {
      return 1;
    }
    const std::string dir = argv[3];
    std::ofstream(dir + "/hold.lua") << inventory::RedisHoldScript().lua;
    inventory::HoldRecord record{.trip_id = "bench-rb", .org_id = "org", .hold = {}, .prices = {}};
    record.hold.id = "h-rb";
    record.hold.holder = "bench-rb";
    record.hold.seats = {"S1"};
    record.hold.journey = {0, 1};
    const std::vector<std::string> keys = inventory::RedisTripKeys("bench-rb-__rand_int__");
    std::ofstream args(dir + "/args");
    args << keys.size() << "\n";
    for (const std::string& key : keys) args << key << "\n";
    // A 1 ms hold on the first leg, as in the threads' run below.
    args << "h-__rand_int__\n1\n" << inventory::StoredHoldJson(record) << "\n0\n1\nS__rand_int__\n";
    return args.good() ? 0 : 1;
  }
  const std::vector<std::string> trip_ids =
      LoadTrips(*store, [](int t) { return absl::StrCat("bench-", t); });
  if (trip_ids.empty()) return 1;
  std::atomic<int64_t> calls{0};
  std::atomic<int64_t> held{0};
  std::atomic<int64_t> errors{0};
  std::atomic<bool> stop{false};
  bench::Latencies latencies;
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937 random(static_cast<unsigned>(w) + 11u);
      std::vector<double> samples;
      int64_t sequence = 0;
      while (!stop) {
        const std::string& trip = trip_ids[random() % trip_ids.size()];
        inventory::HoldRecord record{.trip_id = trip, .org_id = "org", .hold = {}, .prices = {}};
        record.hold.id = absl::StrCat("h-", w, "-", ++sequence);
        record.hold.holder = absl::StrCat("bench-", w);
        record.hold.seats = {absl::StrCat("S", random() % 40)};
        record.hold.journey = {0, 1};
        const std::vector<std::string> args = {
            record.hold.id, "1", inventory::StoredHoldJson(record), "0", "1", record.hold.seats[0]};
        const auto start = std::chrono::steady_clock::now();
        auto reply =
            (*redis)->Run(inventory::RedisHoldScript(), inventory::RedisTripKeys(trip), args);
        samples.push_back(bench::MicrosSince(start));
        if (!reply.ok()) {
          ++errors;
          continue;
        }
        ++calls;
        // {'ok', expiry}; a refusal is {'seats_unavailable', ...}.
        if (!reply->array().empty() && reply->array()[0].text() == "ok") ++held;
      }
      latencies.Add(std::move(samples));
    });
  }
  const auto started = std::chrono::steady_clock::now();
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  const double elapsed = bench::MicrosSince(started) / 1e6;
  bench::Report("redis.hold_script_calls_per_second", static_cast<double>(calls) / elapsed,
                "calls/s");
  bench::Report("redis.hold_script_holds_made", static_cast<double>(held), "holds");
  bench::Report("redis.hold_script_errors", static_cast<double>(errors), "calls");
  bench::Report("redis.hold_script_p50", latencies.Percentile(0.50), "us");
  bench::Report("redis.hold_script_p99", latencies.Percentile(0.99), "us");
  for (const std::string& trip : trip_ids) (void)store->DropTrip(trip);
  return 0;
}
