// The search read model in memory: 100,000 generated trips over 500 stations and 30 days, with
// seat claims; latency percentiles of single queries, then queries per second from THREADS
// threads for SECONDS. Queries take two stops of a random trip on its day, so most find trips.
//
//   travio_search_bench [TRIPS] [STATIONS] [SECONDS] [THREADS]
#include <atomic>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_stats.h"
#include "services/search/domain/trip_index.h"

int main(int argc, char** argv) {
  using namespace travio;
  using search::SearchQuery;
  const int trips = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int stations = argc > 2 ? std::atoi(argv[2]) : 500;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 5;
  const int threads = argc > 4 ? std::atoi(argv[4]) : 2;
  const absl::TimeZone dhaka = absl::FixedTimeZone(6 * 3600);
  const absl::Time day0 = absl::FromCivil(absl::CivilSecond(2026, 12, 1, 0, 0, 0), dhaka);
  std::mt19937 random(7);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  search::TripIndex index;
  std::vector<search::TripListing> listings;
  const auto built = std::chrono::steady_clock::now();
  for (int t = 0; t < trips; ++t) {
    search::TripListing trip;
    trip.trip_id = absl::StrCat("trip-", t);
    trip.org_id = absl::StrCat("org-", pick(40));
    trip.version = 1;
    trip.on_sale = true;
    trip.bus_class = pick(3) ? "seater" : "sleeper";
    trip.ac = pick(2) == 1;
    const int length = 2 + pick(7);
    std::vector<int> route;
    while (static_cast<int>(route.size()) < length) {
      const int station = pick(stations);
      if (std::find(route.begin(), route.end(), station) == route.end()) route.push_back(station);
    }
    absl::Time at = day0 + absl::Minutes(pick(30 * 24 * 60));
    for (int station : route) {
      const std::string arrive = absl::FormatTime("%Y-%m-%dT%H:%M:%S+06:00", at, dhaka);
      at += absl::Minutes(10);
      trip.stops.push_back({absl::StrCat("S", station), arrive,
                            absl::FormatTime("%Y-%m-%dT%H:%M:%S+06:00", at, dhaka), true, true});
      at += absl::Minutes(60 + pick(120));
    }
    for (int i = 0; i < length; ++i) {
      for (int j = i + 1; j < length; ++j) {
        trip.fares.push_back({trip.stops[i].station, trip.stops[j].station,
                              40000 + 10000 * (j - i) + 500 * pick(20), "BDT", ""});
      }
    }
    auto plan = std::make_shared<search::SeatPlan>();
    for (int seat = 0; seat < 40; ++seat) plan->seats.push_back(absl::StrCat("S", seat));
    trip.seat_plan = std::move(plan);
    index.Upsert(trip);
    for (int c = pick(6); c > 0; --c) {
      index.Claim(trip.trip_id, absl::StrCat("b-", t, "-", c),
                  {{absl::StrCat("S", pick(40))}, 0, length - 1, absl::InfiniteFuture()});
    }
    listings.push_back(std::move(trip));
  }
  bench::Report("search.trips", trips, "trips");
  bench::Report("search.stations", stations, "stations");
  bench::Report("search.build_seconds", bench::MicrosSince(built) / 1e6, "s");

  auto query_for = [&](std::mt19937& rng) {
    const search::TripListing& trip = listings[rng() % listings.size()];
    const int from = static_cast<int>(rng() % (trip.stops.size() - 1));
    const int to = from + 1 + static_cast<int>(rng() % (trip.stops.size() - 1 - from));
    SearchQuery query;
    query.from = trip.stops[from].station;
    query.to = trip.stops[to].station;
    query.date = trip.stops[from].depart_at.substr(0, 10);
    query.sort = static_cast<search::SortBy>(rng() % 3);
    query.limit = 50;
    return query;
  };
  const absl::Time now = day0;
  bench::Latencies latencies;
  std::vector<double> samples;
  int64_t found = 0;
  std::mt19937 single(99);
  for (int q = 0; q < 20000; ++q) {
    const SearchQuery query = query_for(single);
    const auto start = std::chrono::steady_clock::now();
    auto page = index.Search(query, now);
    samples.push_back(bench::MicrosSince(start));
    if (page.ok()) found += static_cast<int64_t>(page->items.size());
  }
  latencies.Add(std::move(samples));
  bench::Report("search.single_p50", latencies.Percentile(0.50), "us");
  bench::Report("search.single_p99", latencies.Percentile(0.99), "us");
  bench::Report("search.hits_per_query", static_cast<double>(found) / 20000, "trips");

  std::atomic<int64_t> queries{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t) + 1000u);
      while (!stop) {
        (void)index.Search(query_for(rng), now);
        ++queries;
      }
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  bench::Report("search.queries_per_second", static_cast<double>(queries) / seconds, "queries/s");
  return 0;
}
