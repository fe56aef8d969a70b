// Complete bookings through REST on a running monolith (bench/inventory.sh starts it): each is a
// hold of one seat, an order with an Idempotency-Key, and a card payment through the booking
// saga (authorize, seats confirmed against the hold, capture, order confirmed). Every seat is
// booked at most once: the seat maps must show exactly the bookings made.
//
//   travio_booking_rest_bench URL [SECONDS] [THREADS] [TRIPS]
#include <atomic>
#include <cstdlib>
#include <thread>

#include "bench/bench_stats.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

constexpr int kSeatsPerTrip = 40;

// Seat `index` of the 2+2 layout of ten rows: A1..J4.
std::string SeatLabel(int index) {
  return absl::StrCat(std::string(1, static_cast<char>('A' + index / 4)), 1 + index % 4);
}

void Bookings(const std::string& url, const std::vector<std::string>& trips, int seconds,
              int threads) {
  Latencies latencies;
  Latencies hold_latencies, order_latencies, payment_latencies;  // each step's own time
  std::atomic<int> next{0};
  std::atomic<int64_t> booked{0};
  std::atomic<int64_t> failed{0};
  std::atomic<bool> stop{false};
  std::atomic<int> running{threads};
  const int seats = static_cast<int>(trips.size()) * kSeatsPerTrip;
  std::vector<std::thread> workers;
  // On stderr, for scripts that measure the servers' CPU over the measured run only.
  std::fprintf(stderr, "== measuring\n");
  std::fflush(stderr);
  const auto started = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(url);
      const std::string token = Guest(client);
      std::vector<double> samples, hold_samples, order_samples, payment_samples;
      for (int i = next++; i < seats && !stop; i = next++) {
        const std::string& trip = trips[static_cast<size_t>(i / kSeatsPerTrip)];
        const std::string seat = SeatLabel(i % kSeatsPerTrip);
        const auto start = std::chrono::steady_clock::now();
        const HttpResult held = Send(client, "POST", "/v1/inventory/lock",
                                     {{"trip_id", trip}, {"seats", {seat}}}, token);
        hold_samples.push_back(MicrosSince(start));
        if (held.status != 201) {
          ++failed;
          continue;
        }
        const std::string key = absl::StrCat("bench-", t, "-", i);
        std::map<std::string, std::string> headers = {{"Content-Type", "application/json"},
                                                      {"Authorization", "Bearer " + token},
                                                      {"Idempotency-Key", key}};
        const json order_body = {
            {"hold_id", json::parse(held.body)["hold_id"]},
            {"passengers", {{{"seat", seat}, {"name", "Bench Traveller"}, {"gender", "other"}}}},
            {"contact", {{"email", "bench@example.com"}}}};
        const auto order_start = std::chrono::steady_clock::now();
        const HttpResult ordered = client.Send("POST", "/v1/orders", order_body.dump(), headers);
        order_samples.push_back(MicrosSince(order_start));
        if (ordered.status != 201) {
          ++failed;
          continue;
        }
        const json payment = {{"order_id", json::parse(ordered.body)["id"]},
                              {"method",
                               {{"type", "card"},
                                {"number", "4242424242424242"},
                                {"exp_month", 12},
                                {"exp_year", 2035},
                                {"cvc", "123"}}}};
        const auto payment_start = std::chrono::steady_clock::now();
        const HttpResult paid = client.Send("POST", "/v1/payments", payment.dump(), headers);
        payment_samples.push_back(MicrosSince(payment_start));
        samples.push_back(MicrosSince(start));
        if (paid.status == 201 && json::parse(paid.body)["status"] == "captured") {
          ++booked;
        } else {
          ++failed;
        }
      }
      latencies.Add(std::move(samples));
      hold_latencies.Add(std::move(hold_samples));
      order_latencies.Add(std::move(order_samples));
      payment_latencies.Add(std::move(payment_samples));
      --running;
    });
  }
  // Until the time is up, or every seat is sold (then the rate is over the time it took).
  const absl::Time deadline = absl::Now() + absl::Seconds(seconds);
  while (running > 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(20));
  stop = true;
  const double elapsed = MicrosSince(started) / 1e6;
  for (std::thread& worker : workers) worker.join();
  std::fprintf(stderr, "== measured\n");
  std::fflush(stderr);
  // What the seat maps say was sold.
  HttpClient client(url);
  int64_t on_maps = 0;
  for (const std::string& trip : trips) {
    const json map =
        json::parse(Send(client, "GET", "/v1/trips/" + trip + "/seats", nullptr, "").body);
    for (const json& deck : map["decks"]) {
      for (const json& cell : deck["cells"]) on_maps += cell.value("status", "") == "booked";
    }
  }
  Report("booking.bookings_per_second", static_cast<double>(booked) / elapsed, "bookings/s");
  Report("booking.p50", latencies.Percentile(0.50) / 1000, "ms");
  Report("booking.p99", latencies.Percentile(0.99) / 1000, "ms");
  Report("booking.hold_p50", hold_latencies.Percentile(0.50) / 1000, "ms");
  Report("booking.order_p50", order_latencies.Percentile(0.50) / 1000, "ms");
  Report("booking.payment_p50", payment_latencies.Percentile(0.50) / 1000, "ms");
  Report("booking.bookings", static_cast<double>(booked), "bookings");
  Report("booking.seconds", elapsed, "s");
  Report("booking.seats_booked_on_maps", static_cast<double>(on_maps), "seats");
  Report("booking.errors", static_cast<double>(failed), "requests");
}

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [SECONDS] [THREADS] [TRIPS]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 16;
  const int trip_count = argc > 4 ? std::atoi(argv[4]) : 100;
  travio::testing::HttpClient setup(url);
  travio::bench::Bookings(url, travio::bench::Network(setup, trip_count), seconds, threads);
  return 0;
}
