// Holds through REST on a running monolith (bench/inventory.sh starts it): holds per second
// (hold then release, many trips), and 10,000 clients racing for the 40 seats of one trip
// (every seat held once, the rest refused, latency percentiles).
//
//   travio_inventory_rest_bench URL [SECONDS] [THREADS] [RACE_CLIENTS] [RACE_THREADS]
//   travio_inventory_rest_bench URL --prepare DIR [RACE_CLIENTS]
//
// --prepare makes the same network and guests for the wrk scripts (bench/holds.lua,
// bench/race.lua) and writes them to DIR: `trips` (20 trips to hold on), `tokens` (a guest per
// load-generator thread), `race_trip` and `race_tokens` (a guest per racing client).
#include <atomic>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_stats.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

std::vector<std::string> Guests(const std::string& url, int count) {
  std::vector<std::string> tokens(static_cast<size_t>(count));
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      HttpClient client(url);
      for (int i = next++; i < count; i = next++) tokens[static_cast<size_t>(i)] = Guest(client);
    });
  }
  for (std::thread& worker : workers) worker.join();
  return tokens;
}

void Throughput(const std::string& url, const std::vector<std::string>& trips, int seconds,
                int threads) {
  Latencies latencies;
  std::atomic<int64_t> holds{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(url);
      const std::string token = Guest(client);
      std::mt19937 random(static_cast<unsigned>(t) + 1u);
      std::vector<double> samples;
      while (!stop) {
        const std::string& trip = trips[random() % trips.size()];
        const auto start = std::chrono::steady_clock::now();
        const HttpResult held = Send(client, "POST", "/v1/inventory/lock",
                                     {{"trip_id", trip}, {"seats", {RandomSeat(random)}}}, token);
        samples.push_back(MicrosSince(start));
        if (held.status == 201) {
          ++holds;
          Send(client, "DELETE",
               "/v1/inventory/lock/" + json::parse(held.body)["hold_id"].get<std::string>(),
               nullptr, token);
        } else if (held.status == 409) {
          ++refused;
        } else {
          ++failed;
        }
      }
      latencies.Add(std::move(samples));
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  Report("rest.holds_per_second", static_cast<double>(holds) / seconds, "holds/s");
  Report("rest.hold_requests_per_second", static_cast<double>(latencies.size()) / seconds, "req/s");
  Report("rest.hold_p50", latencies.Percentile(0.50) / 1000, "ms");
  Report("rest.hold_p99", latencies.Percentile(0.99) / 1000, "ms");
  Report("rest.refused_409", static_cast<double>(refused), "requests");
  Report("rest.errors", static_cast<double>(failed), "requests");
}

void Race(const std::string& url, const std::string& trip, int clients, int threads) {
  const std::vector<std::string> tokens = Guests(url, clients);
  Latencies latencies;
  std::mutex mutex;
  std::map<std::string, int> winners;  // seat -> holds won
  std::atomic<int> refused{0};
  std::atomic<int> failed{0};
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  const auto started = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(url);
      std::mt19937 random(static_cast<unsigned>(t) * 7919u + 3u);
      std::vector<double> samples;
      for (int i = next++; i < clients; i = next++) {
        const std::string seat = RandomSeat(random);
        const auto start = std::chrono::steady_clock::now();
        const HttpResult held =
            Send(client, "POST", "/v1/inventory/lock", {{"trip_id", trip}, {"seats", {seat}}},
                 tokens[static_cast<size_t>(i)]);
        samples.push_back(MicrosSince(start));
        if (held.status == 201) {
          std::lock_guard lock(mutex);
          ++winners[seat];
        } else if (held.status == 409) {
          ++refused;
        } else {
          ++failed;
        }
      }
      latencies.Add(std::move(samples));
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double seconds = MicrosSince(started) / 1e6;
  int double_sales = 0;
  for (const auto& [seat, count] : winners) double_sales += count > 1 ? count - 1 : 0;
  HttpClient client(url);
  const json map =
      json::parse(Send(client, "GET", "/v1/trips/" + trip + "/seats", nullptr, "").body);
  int held_on_map = 0;
  for (const json& deck : map["decks"]) {
    for (const json& cell : deck["cells"]) held_on_map += cell.value("status", "") == "held";
  }
  Report("race.clients", clients, "clients");
  Report("race.seats_won", static_cast<double>(winners.size()), "seats");
  Report("race.seats_held_on_map", held_on_map, "seats");
  Report("race.double_sales", double_sales, "seats");
  Report("race.refused_409", refused, "requests");
  Report("race.errors", failed, "requests");
  Report("race.p50", latencies.Percentile(0.50) / 1000, "ms");
  Report("race.p99", latencies.Percentile(0.99) / 1000, "ms");
  Report("race.requests_per_second", clients / seconds, "req/s");
}

bool WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  for (const std::string& line : lines) std::fprintf(file, "%s\n", line.c_str());
  return std::fclose(file) == 0;
}

int Prepare(const std::string& url, const std::string& dir, int race_clients) {
  HttpClient setup(url);
  const std::vector<std::string> trips = Network(setup, 21);
  const bool written =
      WriteLines(dir + "/trips", std::vector<std::string>(trips.begin(), trips.end() - 1)) &&
      WriteLines(dir + "/tokens", Guests(url, 256)) &&
      WriteLines(dir + "/race_trip", {trips.back()}) &&
      WriteLines(dir + "/race_tokens", Guests(url, race_clients));
  if (!written) std::fprintf(stderr, "cannot write to %s\n", dir.c_str());
  return written ? 0 : 1;
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [SECONDS] [THREADS] [RACE_CLIENTS] [RACE_THREADS]\n",
                 argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  if (argc > 3 && std::string(argv[2]) == "--prepare") {
    return travio::bench::Prepare(url, argv[3], argc > 4 ? std::atoi(argv[4]) : 10000);
  }
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 32;
  const int race_clients = argc > 4 ? std::atoi(argv[4]) : 10000;
  const int race_threads = argc > 5 ? std::atoi(argv[5]) : 200;
  travio::testing::HttpClient setup(url);
  const std::vector<std::string> trips = travio::bench::Network(setup, 21);
  const std::vector<std::string> many(trips.begin(), trips.end() - 1);
  travio::bench::Throughput(url, many, seconds, threads);
  travio::bench::Race(url, trips.back(), race_clients, race_threads);
  return 0;
}
