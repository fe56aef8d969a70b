// The waiting rooms' hot state (services/queue/app/queue_state.h) driven directly, without HTTP
// or the queue service around it:
//
//   travio_queue_state_bench redis PORT [SECONDS] [CLIENTS]
//       Join calls per second, every call a traveller new to the room (so a new ticket), then
//       Poll calls per second by travellers who joined, picked at random, each for SECONDS, on
//       one room of the Redis server at PORT, CLIENTS threads (50) with a connection each.
//       bench/queue.sh runs `redis-benchmark -t set` on the same server and prints the ratios.
//   travio_queue_state_bench memory-per-waiting memory COUNT
//   travio_queue_state_bench memory-per-waiting redis PORT COUNT
//       Bytes per waiting traveller: COUNT travellers join one room before its opening (the
//       pre-queue of a ticket drop), then COUNT another room after its opening (the queue
//       proper), and the store's growth is divided by COUNT. For the memory state, the growth
//       of this process's resident set; for Redis, of `INFO memory` used_memory.
//
// Both rooms stay in the pre-queue or the queue during the run: nothing calls the inlet
// (Advance), and time stands still on an injected clock, so no ticket falls silent for longer
// than the two minutes a place is kept, however long the run. Subjects and tickets have the
// sizes the service gives them (a guest's "guest:" and a UUID, 42 characters; a ticket of 18
// random bytes in base64url, 24), so the memory figures are those of real callers.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_stats.h"
#include "platform/base/absl_interop.h"
#include "platform/base/clock.h"
#include "platform/base/status_macros.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/redis_store.h"
#include "services/queue/app/queue_state.h"
#include "services/queue/storage/memory/memory_queue_state.h"
#include "services/queue/storage/redis/redis_queue_state.h"

namespace travio::bench {
namespace {

using queue::QueueState;
using queue::QueueTicket;
using queue::TicketStatus;

// The service's default (QueueSettings::position_ttl).
constexpr absl::Duration kPositionTtl = absl::Minutes(2);

// A well-mixed 64-bit number from a traveller's numbers (splitmix64): the load generator
// shares the machine with the store, so a random-number call per request would be its own
// work counted as the store's.
uint64_t Mix(uint64_t worker, uint64_t sequence) {
  uint64_t x = (worker << 40) ^ sequence;
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A guest's subject: "guest:" and a UUID (8-4-4-4-12), unique per worker and sequence.
std::string Subject(uint64_t worker, uint64_t sequence) {
  return absl::StrCat("guest:", absl::Hex(worker, absl::kZeroPad8), "-0000-7000-8000-",
                      absl::Hex(sequence, absl::kZeroPad12));
}

// A ticket of the service's 24 characters, unique per worker and sequence.
std::string Ticket(uint64_t worker, uint64_t sequence) {
  return absl::StrCat(absl::Hex(worker, absl::kZeroPad8), absl::Hex(sequence, absl::kZeroPad16));
}

// A draw spread like the service's (an HMAC truncated to 53 bits).
uint64_t Lottery(uint64_t worker, uint64_t sequence) { return Mix(worker, sequence) >> 11; }

absl::StatusOr<QueueTicket> JoinNew(QueueState& state, const std::string& room, uint64_t worker,
                                    uint64_t sequence, const Clock& clock) {
  TRAVIO_ASSIGN_OR_RETURN(QueueTicket ticket,
                          state.Join(room, Subject(worker, sequence), Ticket(worker, sequence),
                                     Lottery(worker, sequence), clock.Now(), kPositionTtl));
  if (ticket.status != TicketStatus::kWaiting) {
    return absl::InternalError(
        absl::StrCat("a new traveller's ticket is not waiting but ",
                     ToAbsl(NameOf(queue::kTicketStatusNames, ticket.status))));
  }
  return ticket;
}

// What one timed phase measured.
struct Rate {
  int64_t succeeded = 0;
  int64_t failed = 0;
  double seconds = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::string first_failure;

  double PerSecond() const { return seconds > 0 ? static_cast<double>(succeeded) / seconds : 0; }
};

// Runs `call(worker, sequence)` (sequence 1, 2, ... per worker) on `clients` threads, back to
// back, for `seconds`.
template <typename Call>
Rate Timed(int clients, int seconds, Call call) {
  Rate rate;
  Latencies latencies;
  std::atomic<int64_t> succeeded{0};
  std::atomic<int64_t> failed{0};
  std::atomic<bool> stop{false};
  std::mutex failure_mutex;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int w = 0; w < clients; ++w) {
    workers.emplace_back([&, worker = static_cast<uint64_t>(w)] {
      std::vector<double> samples;
      uint64_t sequence = 0;
      while (!stop) {
        const auto start = std::chrono::steady_clock::now();
        const absl::Status status = call(worker, ++sequence);
        samples.push_back(MicrosSince(start));
        if (status.ok()) {
          ++succeeded;
          continue;
        }
        ++failed;
        std::lock_guard lock(failure_mutex);
        if (rate.first_failure.empty()) rate.first_failure = status.ToString();
      }
      latencies.Add(std::move(samples));
    });
  }
  absl::SleepFor(absl::Seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  rate.seconds = MicrosSince(started) / 1e6;
  rate.succeeded = succeeded;
  rate.failed = failed;
  rate.p50_us = latencies.Percentile(0.50);
  rate.p99_us = latencies.Percentile(0.99);
  return rate;
}

// Prints the phase's figures; false (after saying why on stderr) when most of its calls failed
// or none was made: a rate of errors measures nothing.
bool ReportRate(const std::string& prefix, const Rate& rate) {
  Report(absl::StrCat(prefix, "_calls_per_second"), rate.PerSecond(), "calls/s");
  Report(absl::StrCat(prefix, "_p50"), rate.p50_us, "us");
  Report(absl::StrCat(prefix, "_p99"), rate.p99_us, "us");
  Report(absl::StrCat(prefix, "_errors"), static_cast<double>(rate.failed), "calls");
  if (rate.succeeded > 0 && rate.failed <= rate.succeeded) return true;
  std::fprintf(stderr,
               "travio_queue_state_bench: most %s calls failed (%lld failed, %lld succeeded); "
               "one error: %s\n",
               prefix.c_str(), static_cast<long long>(rate.failed),
               static_cast<long long>(rate.succeeded), rate.first_failure.c_str());
  return false;
}

absl::StatusOr<std::unique_ptr<kv::KeyValueStore>> OpenRedisAt(int port, int connections) {
  return kv::OpenRedis({.host = "127.0.0.1", .port = port, .pool_size = connections});
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "travio_queue_state_bench: %s\n", status.ToString().c_str());
  return 1;
}

int RedisRates(int port, int seconds, int clients) {
  absl::StatusOr<std::unique_ptr<kv::KeyValueStore>> redis = OpenRedisAt(port, clients);
  if (!redis.ok()) return Fail(redis.status());
  const std::unique_ptr<QueueState> state = queue::MakeRedisQueueState(**redis);
  const ManualClock clock;
  const std::string room = absl::StrCat("bench-", absl::ToUnixNanos(absl::Now()));

  // Each worker keeps its own tickets, so joining needs no lock besides Redis'.
  std::vector<std::vector<std::string>> joined(static_cast<size_t>(clients));
  const Rate joins = Timed(clients, seconds, [&](uint64_t worker, uint64_t sequence) {
    absl::StatusOr<QueueTicket> ticket = JoinNew(*state, room, worker, sequence, clock);
    if (!ticket.ok()) return ticket.status();
    joined[worker].push_back(std::move(ticket->ticket));
    return absl::OkStatus();
  });
  const bool joins_usable = ReportRate("redis.queue_join", joins);

  std::vector<std::string> tickets;
  for (std::vector<std::string>& own : joined) {
    tickets.insert(tickets.end(), std::make_move_iterator(own.begin()),
                   std::make_move_iterator(own.end()));
  }
  bool polls_usable = false;
  if (joins_usable && !tickets.empty()) {
    const Rate polls = Timed(clients, seconds, [&](uint64_t worker, uint64_t sequence) {
      const std::string& ticket = tickets[Mix(worker, sequence) % tickets.size()];
      absl::StatusOr<std::optional<QueueTicket>> polled =
          state->Poll(room, ticket, clock.Now(), kPositionTtl);
      if (!polled.ok()) return polled.status();
      if (!polled->has_value()) return absl::NotFoundError("a joined ticket is unknown");
      if ((*polled)->status != TicketStatus::kWaiting) {
        return absl::InternalError("a polled ticket is no longer waiting");
      }
      return absl::OkStatus();
    });
    polls_usable = ReportRate("redis.queue_poll", polls);
  }
  Report("redis.queue_room_tickets", static_cast<double>(tickets.size()), "tickets");
  if (absl::Status dropped = state->Drop(room); !dropped.ok()) return Fail(dropped);
  return joins_usable && polls_usable ? 0 : 1;
}

// What the store holds now, in bytes, as the adapter's `used` measure tells.
using UsedBytes = std::function<absl::StatusOr<int64_t>()>;

// Joins `count` new travellers to `room`, opened first when `opened`, and returns the growth of
// `used` per traveller. Checks that every one of them is waiting.
absl::StatusOr<double> BytesPerWaiting(QueueState& state, const UsedBytes& used,
                                       const std::string& room, bool opened, int64_t count,
                                       const Clock& clock) {
  if (opened) TRAVIO_RETURN_IF_ERROR(state.Open(room, clock.Now()));
  // A worker number of its own per room keeps the two rooms' travellers apart.
  const uint64_t worker = opened ? 2 : 1;
  TRAVIO_ASSIGN_OR_RETURN(const int64_t before, used());
  for (int64_t i = 1; i <= count; ++i) {
    TRAVIO_RETURN_IF_ERROR(JoinNew(state, room, worker, static_cast<uint64_t>(i), clock).status());
  }
  TRAVIO_ASSIGN_OR_RETURN(const int64_t after, used());
  TRAVIO_ASSIGN_OR_RETURN(const queue::RoomCounters counters, state.Counters(room));
  if (counters.waiting != count) {
    return absl::InternalError(
        absl::StrCat("room ", room, " has ", counters.waiting, " waiting, not ", count));
  }
  return static_cast<double>(after - before) / static_cast<double>(count);
}

// The two figures: the pre-queue (joins before the opening) and the queue proper (after it).
// The pre-queue room is kept while the second is filled, so the second grows the store anew
// instead of reusing what the first freed.
int ReportBytesPerWaiting(const std::string& adapter, QueueState& state, const UsedBytes& used,
                          int64_t count) {
  const ManualClock clock;
  const std::string stamp = absl::StrCat(absl::ToUnixNanos(absl::Now()));
  // A first join and drop before measuring: the store's one-time costs (Redis caching the
  // scripts, the memory state's map of rooms) are not the travellers'.
  const std::string warm_up = absl::StrCat("bench-warm-up-", stamp);
  if (absl::Status joined = JoinNew(state, warm_up, 0, 1, clock).status(); !joined.ok()) {
    return Fail(joined);
  }
  if (absl::Status dropped = state.Drop(warm_up); !dropped.ok()) return Fail(dropped);

  const std::string pre_queue_room = absl::StrCat("bench-pre-queue-", stamp);
  const std::string queue_room = absl::StrCat("bench-queue-", stamp);
  const absl::StatusOr<double> pre_queue =
      BytesPerWaiting(state, used, pre_queue_room, /*opened=*/false, count, clock);
  const absl::StatusOr<double> queued =
      pre_queue.ok() ? BytesPerWaiting(state, used, queue_room, /*opened=*/true, count, clock)
                     : pre_queue;
  (void)state.Drop(pre_queue_room);
  (void)state.Drop(queue_room);
  if (!queued.ok()) return Fail(queued.status());
  Report(absl::StrCat("queue_state.", adapter, ".waiting_per_room"), static_cast<double>(count),
         "travellers");
  Report(absl::StrCat("queue_state.", adapter, ".bytes_per_waiting_pre_queue"), *pre_queue,
         "bytes");
  Report(absl::StrCat("queue_state.", adapter, ".bytes_per_waiting_queue"), *queued, "bytes");
  return 0;
}

// This process's resident set in bytes (/proc/self/statm: size, then resident, in pages).
absl::StatusOr<int64_t> ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) {
    return absl::InternalError("cannot read /proc/self/statm");
  }
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

int MemoryPerWaiting(int64_t count) {
  // The state without its journal: the monolith journals every change to its SQLite database
  // besides, but the journal's rows live in that database's file, and what stays in memory is
  // this same state. No other thread runs, so the process grows by the state alone; the
  // figure includes the allocator's slack (freed chunks it keeps, rounding of each block),
  // which is memory the process does take.
  std::printf(
      "# memory: the plain memory state (OpenMemoryQueueState without a journal), "
      "process RSS growth, allocator slack included\n");
  absl::StatusOr<std::unique_ptr<QueueState>> state =
      queue::OpenMemoryQueueState(/*journal=*/nullptr, ManualClock().Now());
  if (!state.ok()) return Fail(state.status());
  return ReportBytesPerWaiting("memory", **state, ResidentBytes, count);
}

// `used_memory` of `INFO memory`, read by a script: the key-value port has no INFO, and a
// script is the one way it sends a command of our choosing.
absl::StatusOr<int64_t> RedisUsedMemory(kv::KeyValueStore& redis) {
  static const kv::Script kUsedMemory{
      .name = "bench_used_memory",
      .lua = "return tonumber(string.match(redis.call('INFO', 'memory'), 'used_memory:(%d+)'))",
      .native = nullptr};
  TRAVIO_ASSIGN_OR_RETURN(
      const kv::ScriptReply reply,
      redis.Run(kUsedMemory, std::vector<std::string>{}, std::vector<std::string>{}));
  if (!std::holds_alternative<int64_t>(reply.value)) {
    return absl::InternalError("INFO memory has no used_memory");
  }
  return reply.integer();
}

int RedisPerWaiting(int port, int64_t count) {
  std::printf("# redis: the Redis queue state, growth of INFO memory used_memory\n");
  absl::StatusOr<std::unique_ptr<kv::KeyValueStore>> redis = OpenRedisAt(port, 1);
  if (!redis.ok()) return Fail(redis.status());
  const std::unique_ptr<QueueState> state = queue::MakeRedisQueueState(**redis);
  kv::KeyValueStore& store = **redis;
  return ReportBytesPerWaiting(
      "redis", *state, [&store] { return RedisUsedMemory(store); }, count);
}

int Usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s redis PORT [SECONDS] [CLIENTS]\n"
               "       %s memory-per-waiting memory COUNT\n"
               "       %s memory-per-waiting redis PORT COUNT\n",
               program, program, program);
  return 2;
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  using travio::bench::Usage;
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "redis" && argc >= 3 && argc <= 5) {
    const int port = std::atoi(argv[2]);
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
    const int clients = argc > 4 ? std::atoi(argv[4]) : 50;
    if (port <= 0 || seconds <= 0 || clients <= 0) return Usage(argv[0]);
    return travio::bench::RedisRates(port, seconds, clients);
  }
  if (mode == "memory-per-waiting" && argc >= 4) {
    const std::string adapter = argv[2];
    if (adapter == "memory" && argc == 4) {
      const long long count = std::atoll(argv[3]);
      if (count <= 0) return Usage(argv[0]);
      return travio::bench::MemoryPerWaiting(count);
    }
    if (adapter == "redis" && argc == 5) {
      const int port = std::atoi(argv[3]);
      const long long count = std::atoll(argv[4]);
      if (port <= 0 || count <= 0) return Usage(argv[0]);
      return travio::bench::RedisPerWaiting(port, count);
    }
  }
  return Usage(argv[0]);
}
