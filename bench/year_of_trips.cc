// A year of a large operator's trips, made through the public API of a running monolith
// (bench/year.sh starts it): ROUTES routes between twelve stations, each with DEPARTURES
// daily schedules at times spread over the day, every schedule generated DAYS days ahead.
// Prints the figures (trips made, seconds it took) and one line `search PATH` naming a real
// result page (the busiest route on a day in the middle of the year) for the REST search run.
//
//   travio_year_of_trips URL [ROUTES] [DEPARTURES] [DAYS] [THREADS]
#include <atomic>
#include <cstdlib>
#include <thread>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

constexpr int kStations = 12;

std::string StationCode(int index) {
  return absl::StrCat("Y", std::string(1, static_cast<char>('A' + index / 26)),
                      std::string(1, static_cast<char>('A' + index % 26)));
}

std::string DhakaDate(int days_from_today) {
  return absl::FormatTime("%Y-%m-%d", absl::Now() + absl::Hours(24 * days_from_today),
                          absl::FixedTimeZone(6 * 3600));
}

// Route `index` joins the index-th ordered pair of distinct stations, with a stop half-way
// (the station after the destination), so searches find whole and partial legs.
struct RoutePlan {
  int from;
  int via;
  int to;
};

RoutePlan PlanRoute(int index) {
  const int from = index % kStations;
  const int to = (from + 1 + (index / kStations) % (kStations - 1)) % kStations;
  int via = (to + 1) % kStations;
  if (via == from) via = (via + 1) % kStations;
  return {from, via, to};
}

json Fares(const RoutePlan& plan) {
  return {{{"from", StationCode(plan.from)},
           {"to", StationCode(plan.to)},
           {"amount", 120000},
           {"currency", "BDT"}},
          {{"from", StationCode(plan.from)},
           {"to", StationCode(plan.via)},
           {"amount", 70000},
           {"currency", "BDT"}},
          {{"from", StationCode(plan.via)},
           {"to", StationCode(plan.to)},
           {"amount", 60000},
           {"currency", "BDT"}}};
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [ROUTES] [DEPARTURES] [DAYS] [THREADS]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int routes = argc > 2 ? std::atoi(argv[2]) : 50;
  const int departures = argc > 3 ? std::atoi(argv[3]) : 6;
  const int days = argc > 4 ? std::atoi(argv[4]) : 365;
  const int threads = argc > 5 ? std::atoi(argv[5]) : 4;
  if (routes < 1 || routes > kStations * (kStations - 1) || departures < 1 || departures > 48 ||
      days < 1 || days > 366 || threads < 1) {
    std::fprintf(stderr, "routes 1..%d, departures 1..48, days 1..366, threads >= 1\n",
                 kStations * (kStations - 1));
    return 2;
  }

  HttpClient client(url);
  const std::string owner = OperatorWithTrips(client, 0).owner_token;
  for (int s = 0; s < kStations; ++s) {
    Send(client, "POST", "/v1/catalog/stations",
         {{"code", StationCode(s)},
          {"name", "Year " + StationCode(s)},
          {"city", "Year " + StationCode(s)},
          {"lat", 23.0 + s * 0.1},
          {"lon", 90.0 + s * 0.1},
          {"timezone", "Asia/Dhaka"}},
         owner);  // 409 when a previous run added it
  }
  std::vector<std::string> schedules;
  for (int r = 0; r < routes; ++r) {
    const RoutePlan plan = PlanRoute(r);
    const json bus =
        Must(Send(client, "POST", "/v1/operator/buses",
                  {{"plate", absl::StrCat("YEAR-", absl::ToUnixNanos(absl::Now()), "-", r)},
                   {"class", "seater"},
                   {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                  owner),
             201);
    const json route = Must(Send(client, "POST", "/v1/catalog/routes",
                                 {{"name", absl::StrCat("year ", r)},
                                  {"stops",
                                   {{{"station", StationCode(plan.from)},
                                     {"arrive_offset_min", 0},
                                     {"depart_offset_min", 0}},
                                    {{"station", StationCode(plan.via)},
                                     {"arrive_offset_min", 120},
                                     {"depart_offset_min", 130}},
                                    {{"station", StationCode(plan.to)},
                                     {"arrive_offset_min", 240},
                                     {"depart_offset_min", 240}}}}},
                                 owner),
                            201);
    for (int d = 0; d < departures; ++d) {
      const int minutes = 6 * 60 + d * (16 * 60 / departures);  // 06:00 to 22:00
      schedules.push_back(
          Must(Send(client, "POST", "/v1/catalog/schedules",
                    {{"route_id", route["id"]},
                     {"bus_id", bus["id"]},
                     {"departure_time", absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60)},
                     {"days", "daily"},
                     {"start_date", DhakaDate(1)},
                     {"end_date", DhakaDate(days)},
                     {"fares", Fares(plan)}},
                    owner),
               201)["id"]);
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<int64_t> created{0};
  std::atomic<int> failed{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      HttpClient worker(url);
      for (size_t i = next++; i < schedules.size(); i = next++) {
        // A call makes trips for at most catalog.longest_call; the next goes on.
        for (int64_t remaining = 1; remaining > 0;) {
          const HttpResult made =
              Send(worker, "POST", "/v1/catalog/schedules/" + schedules[i] + "/generate",
                   {{"until", DhakaDate(days)}}, owner);
          if (made.status != 200) {
            std::fprintf(stderr, "generate: %ld %s\n", static_cast<long>(made.status),
                         made.body.c_str());
            ++failed;
            break;
          }
          const json answer = json::parse(made.body);
          created += answer["created"].get<int64_t>();
          remaining = answer["remaining"].get<int64_t>();
          if (answer["created"] == 0 && remaining > 0) {
            std::fprintf(stderr, "generate: no trip made, %ld remaining\n",
                         static_cast<long>(remaining));
            ++failed;
            break;
          }
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failed > 0) return 1;

  const RoutePlan busiest = PlanRoute(0);
  std::printf("year.routes %d\nyear.schedules %zu\nyear.trips %lld\n", routes, schedules.size(),
              static_cast<long long>(created.load()));
  std::printf("year.generate_seconds %.1f\nyear.trips_generated_per_second %.0f\n", seconds,
              static_cast<double>(created.load()) / seconds);
  std::printf("search /v1/search?from=%s&to=%s&date=%s&passengers=1\n",
              StationCode(busiest.from).c_str(), StationCode(busiest.to).c_str(),
              DhakaDate(days / 2).c_str());
  return 0;
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) { return travio::bench::Main(argc, argv); }
