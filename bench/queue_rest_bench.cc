// The waiting room through REST on a running monolith (bench/queue.sh starts it, with client
// limits off): first joins per second by fresh guests, status polls per second by callers who
// joined, and GET /healthz per second by the same clients in the same run, the reference the
// two others are read against.
//
//   travio_queue_rest_bench URL [SECONDS] [CLIENTS] [GUESTS] [ROOM]
//
// CLIENTS threads, each with its own keep-alive connection, call back to back for SECONDS per
// figure. A join is measured as a traveller's first (joining again is a cheaper lookup that
// returns the same ticket), so GUESTS guest tokens (60,000 by default) are minted before the joins are
// timed: minting is a request of its own, not part of a join. The join phase ends after SECONDS
// or when the guests run out, whichever comes first; its rate is over the time it took.
// ROOM is where they join: `pre_queue` (default: a scheduled room opening in 23 hours, its
// pre-queue open, so every join waits for the draw, as before a ticket drop) or `on_demand`
// (open, one active session that lasts a day, so every join after the first queues behind it
// and also runs an inlet tick). Every answer's status is checked: non-2xx answers are counted
// and reported, and a phase where most requests fail ends the program with status 1. Keep
// SECONDS under a minute: a caller silent for two minutes loses its place, and the first to
// join would then answer their polls with 410.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_stats.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

using Clients = std::vector<std::unique_ptr<HttpClient>>;

bool Succeeded(const HttpResult& result) { return result.status >= 200 && result.status < 300; }

std::string Describe(const HttpResult& result) {
  if (result.status == 0) return absl::StrCat("transport error: ", result.error);
  return absl::StrCat(result.status, " ", result.body.substr(0, 300));
}

// What one timed phase measured.
struct Phase {
  std::string name;
  int64_t succeeded = 0;
  int64_t failed = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_failure;  // one failed answer, to say what went wrong

  double PerSecond() const { return seconds > 0 ? static_cast<double>(succeeded) / seconds : 0; }
};

// Runs `call(client_index, client)` on every client's thread, back to back, for `seconds` or
// until `call` returns nullopt (its work ran out). `call` runs on all threads at once.
template <typename Call>
Phase RunPhase(const std::string& name, Clients& clients, int seconds, Call call) {
  Phase phase{.name = name};
  Latencies latencies;
  std::atomic<int64_t> succeeded{0};
  std::atomic<int64_t> failed{0};
  std::mutex failure_mutex;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (size_t index = 0; index < clients.size(); ++index) {
    workers.emplace_back([&, index] {
      HttpClient& client = *clients[index];
      std::vector<double> samples;
      while (std::chrono::steady_clock::now() < deadline) {
        const auto start = std::chrono::steady_clock::now();
        const std::optional<HttpResult> result = call(index, client);
        if (!result) break;
        samples.push_back(MicrosSince(start));
        if (Succeeded(*result)) {
          ++succeeded;
          continue;
        }
        ++failed;
        std::lock_guard lock(failure_mutex);
        if (phase.first_failure.empty()) phase.first_failure = Describe(*result);
      }
      latencies.Add(std::move(samples));
    });
  }
  for (std::thread& worker : workers) worker.join();
  phase.seconds = MicrosSince(started) / 1e6;
  phase.succeeded = succeeded;
  phase.failed = failed;
  phase.p50_ms = latencies.Percentile(0.50) / 1000;
  phase.p99_ms = latencies.Percentile(0.99) / 1000;
  return phase;
}

// Prints the phase's figures; false (after saying why on stderr) when most of its requests
// failed or none was made: a rate of errors measures nothing.
bool ReportPhase(const Phase& phase, const std::string& rate_name) {
  Report(absl::StrCat("queue.", rate_name), phase.PerSecond(), "req/s");
  Report(absl::StrCat("queue.", phase.name, "_p50"), phase.p50_ms, "ms");
  Report(absl::StrCat("queue.", phase.name, "_p99"), phase.p99_ms, "ms");
  Report(absl::StrCat("queue.", phase.name, "_errors"), static_cast<double>(phase.failed),
         "non-2xx");
  if (phase.succeeded > 0 && phase.failed <= phase.succeeded) return true;
  std::fprintf(stderr,
               "travio_queue_rest_bench: most %s requests failed (%lld failed, %lld succeeded); "
               "one answer: %s\n",
               phase.name.c_str(), static_cast<long long>(phase.failed),
               static_cast<long long>(phase.succeeded), phase.first_failure.c_str());
  return false;
}

// `count` guest tokens, minted by all clients at once.
std::vector<std::string> MintGuests(Clients& clients, size_t count) {
  std::vector<std::string> tokens(count);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (const std::unique_ptr<HttpClient>& client : clients) {
    workers.emplace_back([&, raw = client.get()] {
      for (size_t i = next++; i < count; i = next++) tokens[i] = Guest(*raw);
    });
  }
  for (std::thread& worker : workers) worker.join();
  return tokens;
}

// A room guarding the network's first trip in which joins keep waiting (see the header
// comment). Returns its id.
std::string CreateRoom(HttpClient& client, const OperatorNetwork& network,
                       const std::string& kind) {
  const std::string room_id = absl::StrCat("bench-", absl::ToUnixNanos(absl::Now()));
  json spec = {{"name", "Bench ticket drop"},
               {"mode", kind == "pre_queue" ? "scheduled" : "on_demand"},
               {"trip_ids", json::array({network.trips.front()})},
               {"admit_per_minute", 1},
               {"max_active", 1},
               {"session_minutes", 24 * 60}};
  if (kind == "pre_queue") {
    // The longest pre-queue a room may have (a day) opened an hour ago: nobody is drawn during
    // the run, however long it lasts.
    spec["opens_at"] =
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() + absl::Hours(23), absl::UTCTimeZone());
    spec["pre_queue_minutes"] = 24 * 60;
  }
  const json room =
      Must(Send(client, "PUT", "/v1/queue/rooms/" + room_id, spec, network.owner_token), 200);
  const std::string expected = kind == "pre_queue" ? "pre_queue" : "open";
  if (room.value("status", "") != expected) {
    std::fprintf(stderr, "setup failed: the room is %s, not %s: %s\n",
                 room.value("status", "").c_str(), expected.c_str(), room.dump().c_str());
    std::exit(1);
  }
  return room_id;
}

int Run(const std::string& url, int seconds, int client_count, size_t guest_count,
        const std::string& kind) {
  HttpClient setup(url);
  const OperatorNetwork network = OperatorWithTrips(setup, 1);
  const std::string room_id = CreateRoom(setup, network, kind);

  Clients clients;
  for (int i = 0; i < client_count; ++i) clients.push_back(std::make_unique<HttpClient>(url));

  const auto minting = std::chrono::steady_clock::now();
  const std::vector<std::string> guests = MintGuests(clients, guest_count);
  Report("queue.guests_minted", static_cast<double>(guests.size()), "guests");
  Report("queue.guests_minted_per_second",
         static_cast<double>(guests.size()) / (MicrosSince(minting) / 1e6), "req/s");

  // a. First joins, each by a guest who never joined this room.
  struct Joined {
    size_t guest;
    std::string body;
  };
  std::vector<std::vector<Joined>> joined(clients.size());
  std::atomic<size_t> next_guest{0};
  std::atomic<int64_t> admitted_at_once{0};
  const std::string join_path = absl::StrCat("/v1/queue/rooms/", room_id, "/join");
  const Phase joins = RunPhase(
      "join", clients, seconds, [&](size_t index, HttpClient& client) -> std::optional<HttpResult> {
        const size_t guest = next_guest++;
        if (guest >= guests.size()) return std::nullopt;
        HttpResult result = Send(client, "POST", join_path, nullptr, guests[guest]);
        if (result.status == 200) ++admitted_at_once;  // 202 is waiting
        if (Succeeded(result)) joined[index].push_back({guest, result.body});
        return result;
      });
  if (!ReportPhase(joins, "joins_per_second")) return 1;
  Report("queue.join_seconds", joins.seconds, "s");
  Report("queue.joins_admitted_at_once", static_cast<double>(admitted_at_once), "joins");

  // b. Status polls by callers who joined, picked at random.
  struct Waiting {
    std::string token;
    std::string ticket;
  };
  std::vector<Waiting> waiting;
  for (const std::vector<Joined>& answers : joined) {
    for (const Joined& answer : answers) {
      const json body = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
      if (body.is_object() && body.contains("ticket") && body["ticket"].is_string()) {
        waiting.push_back({guests[answer.guest], body["ticket"].get<std::string>()});
      }
    }
  }
  if (waiting.empty()) {
    std::fprintf(stderr, "travio_queue_rest_bench: no join answered with a ticket\n");
    return 1;
  }
  std::vector<std::mt19937> randoms;
  for (size_t i = 0; i < clients.size(); ++i) randoms.emplace_back(static_cast<unsigned>(i) + 1u);
  const std::string status_path = absl::StrCat("/v1/queue/rooms/", room_id, "/status?ticket=");
  const Phase polls = RunPhase(
      "poll", clients, seconds, [&](size_t index, HttpClient& client) -> std::optional<HttpResult> {
        const Waiting& caller = waiting[randoms[index]() % waiting.size()];
        return Send(client, "GET", status_path + caller.ticket, nullptr, caller.token);
      });
  if (!ReportPhase(polls, "polls_per_second")) return 1;

  // c. The reference: the cheapest route, by the same clients on the same connections.
  const Phase healthz =
      RunPhase("healthz", clients, seconds, [](size_t, HttpClient& client) -> HttpResult {
        return Send(client, "GET", "/healthz", nullptr, "");
      });
  if (!ReportPhase(healthz, "healthz_per_second")) return 1;

  ReportRatio("queue.ratio_joins_to_healthz", joins.PerSecond() / healthz.PerSecond());
  ReportRatio("queue.ratio_polls_to_healthz", polls.PerSecond() / healthz.PerSecond());
  return 0;
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [SECONDS] [CLIENTS] [GUESTS] [pre_queue|on_demand]\n",
                 argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 32;
  const long long guests = argc > 4 ? std::atoll(argv[4]) : 60000;
  const std::string kind = argc > 5 ? argv[5] : "pre_queue";
  if (seconds <= 0 || clients <= 0 || guests <= 0 || (kind != "pre_queue" && kind != "on_demand")) {
    std::fprintf(stderr,
                 "%s: SECONDS, CLIENTS and GUESTS must be positive, ROOM pre_queue or on_demand\n",
                 argv[0]);
    return 2;
  }
  return travio::bench::Run(url, seconds, clients, static_cast<size_t>(guests), kind);
}
