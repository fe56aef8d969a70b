// Holds through REST on a running monolith (bench/pricing.sh starts it), with and without
// pricing rules, in the same run: holds per second (hold then release, 20 trips) while the
// operator has no rules, then again after it saved the ten rules of bench/pricing_rules.h. The
// ratio is what the rules cost a hold.
//
//   travio_pricing_rest_bench URL [SECONDS] [THREADS]
#include <atomic>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "bench/bench_stats.h"
#include "bench/pricing_rules.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

// Holds per second, and the price the last hold froze for seat A1 of the first trip.
double HoldsPerSecond(const std::string& url, const std::vector<std::string>& trips, int seconds,
                      int threads, int64_t& failed) {
  std::atomic<int64_t> holds{0};
  std::atomic<int64_t> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(url);
      const std::string token = Guest(client);
      std::mt19937 random(static_cast<unsigned>(t) + 17u);
      while (!stop) {
        const std::string& trip = trips[random() % trips.size()];
        const HttpResult held = Send(client, "POST", "/v1/inventory/lock",
                                     {{"trip_id", trip}, {"seats", {RandomSeat(random)}}}, token);
        if (held.status == 201) {
          ++holds;
          Send(client, "DELETE",
               "/v1/inventory/lock/" + json::parse(held.body)["hold_id"].get<std::string>(),
               nullptr, token);
        } else if (held.status != 409) {
          ++errors;
        }
      }
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  failed = errors;
  return static_cast<double>(holds) / seconds;
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  using namespace travio::bench;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [SECONDS] [THREADS]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 16;
  HttpClient client(url);
  const OperatorNetwork network = OperatorWithTrips(client, 20);
  int64_t failed_without = 0;
  const double without = HoldsPerSecond(url, network.trips, seconds, threads, failed_without);
  for (const BenchRule& rule : TenRules()) {
    Must(Send(client, "POST", "/v1/pricing/rules",
              {{"name", rule.name},
               {"priority", rule.priority},
               {"when", rule.when},
               {"adjust", rule.adjust}},
              network.owner_token),
         201);
  }
  // Every hold now prices with the rules: check one did.
  const json quote = Must(Send(client, "POST", "/v1/pricing/quote",
                               {{"trip_id", network.trips.front()}, {"seats", {"A1"}}}, ""),
                          200);
  int64_t failed_with = 0;
  const double with = HoldsPerSecond(url, network.trips, seconds, threads, failed_with);
  Report("holds.without_rules_per_second", without, "holds/s");
  Report("holds.with_ten_rules_per_second", with, "holds/s");
  Report("holds.rules_applied_to_a_seat", static_cast<double>(quote["seats"][0]["applied"].size()),
         "rules");
  Report("holds.errors", static_cast<double>(failed_without + failed_with), "requests");
  ReportRatio("holds.with_to_without_ratio", with / without);
  return 0;
}
