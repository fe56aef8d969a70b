// From payment to email: buyers book one seat each (hold, order, card payment) on a running
// monolith, and the time from the payment's answer to the ticket email's file appearing in the
// mail directory (tickets issued, PDF rendered and stored, the notice stored, rendered and
// written) is recorded per order. Every order gets exactly one email.
//
//   travio_ticket_email_bench URL MAIL_DIR [SECONDS] [BUYERS]
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "bench/bench_stats.h"
#include "bench/rest_fixture.h"

namespace travio::bench {
namespace {

constexpr int kSeatsPerTrip = 40;

std::string SeatLabel(int index) {
  return absl::StrCat(std::string(1, static_cast<char>('A' + index / 4)), 1 + index % 4);
}

// Watches the mail directory: the arrival time of each order's email (by its "Order: <id>").
class MailWatcher {
 public:
  explicit MailWatcher(std::filesystem::path dir) : dir_(std::move(dir)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~MailWatcher() {
    stop_ = true;
    thread_.join();
  }
  std::optional<std::chrono::steady_clock::time_point> Arrival(const std::string& order) {
    std::lock_guard lock(mutex_);
    auto found = arrivals_.find(order);
    if (found == arrivals_.end()) return std::nullopt;
    return found->second;
  }
  int emails() {
    std::lock_guard lock(mutex_);
    return emails_;
  }

 private:
  void Run() {
    while (!stop_) {
      std::error_code ignored;
      for (const auto& entry : std::filesystem::directory_iterator(dir_, ignored)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.' || seen_.count(name)) continue;
        seen_.insert(name);
        const auto now = std::chrono::steady_clock::now();
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string body = text.str();
        const size_t at = body.find("\nOrder: ");
        if (at == std::string::npos) continue;
        const std::string order = body.substr(at + 8, 36);
        std::lock_guard lock(mutex_);
        ++emails_;
        arrivals_.emplace(order, now);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  std::filesystem::path dir_;
  std::atomic<bool> stop_{false};
  std::set<std::string> seen_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> arrivals_;
  int emails_ = 0;
  std::thread thread_;
};

}  // namespace
}  // namespace travio::bench

int main(int argc, char** argv) {
  using namespace travio::bench;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s URL MAIL_DIR [SECONDS] [BUYERS]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  const int buyers = argc > 4 ? std::atoi(argv[4]) : 16;
  HttpClient setup(url);
  const std::vector<std::string> trips = Network(setup, 60);
  std::filesystem::create_directories(argv[2]);
  MailWatcher watcher(argv[2]);
  std::atomic<int> next{0};
  std::mutex mutex;
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> paid;
  Latencies payments;
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const int seats = static_cast<int>(trips.size()) * kSeatsPerTrip;
  for (int t = 0; t < buyers; ++t) {
    workers.emplace_back([&, t] {
      HttpClient client(url);
      const std::string token = Guest(client);
      std::vector<double> samples;
      for (int i = next++; i < seats && !stop; i = next++) {
        const std::string trip = trips[i / kSeatsPerTrip];
        const std::string seat = SeatLabel(i % kSeatsPerTrip);
        const HttpResult hold =
            Send(client, "POST", "/v1/inventory/lock",
                 {{"trip_id", trip}, {"seats", {seat}}, {"from", "BDA"}, {"to", "BDC"}}, token);
        if (hold.status != 201) continue;
        const std::string key = absl::StrCat("email-bench-", t, "-", i);
        std::map<std::string, std::string> headers = {{"Content-Type", "application/json"},
                                                      {"Authorization", "Bearer " + token},
                                                      {"Idempotency-Key", key}};
        const HttpResult order = client.Send(
            "POST", "/v1/orders",
            json{{"hold_id", json::parse(hold.body)["hold_id"]},
                 {"passengers", {{{"seat", seat}, {"name", "Bench Buyer"}, {"gender", "female"}}}},
                 {"contact", {{"email", absl::StrCat("buyer", t, "@example.com")}}}}
                .dump(),
            headers);
        if (order.status != 201) continue;
        const std::string order_id = json::parse(order.body)["id"];
        headers["Idempotency-Key"] = key + "-pay";
        const auto started = std::chrono::steady_clock::now();
        const HttpResult payment = client.Send("POST", "/v1/payments",
                                               json{{"order_id", order_id},
                                                    {"method",
                                                     {{"type", "card"},
                                                      {"number", "4242424242424242"},
                                                      {"exp_month", 12},
                                                      {"exp_year", 2035},
                                                      {"cvc", "123"}}}}
                                                   .dump(),
                                               headers);
        if (payment.status != 201) continue;
        samples.push_back(MicrosSince(started));
        std::lock_guard lock(mutex);
        paid.emplace_back(order_id, std::chrono::steady_clock::now());
      }
      payments.Add(std::move(samples));
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& worker : workers) worker.join();
  // Every paid order's email, within a minute.
  Latencies emails;
  int missing = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (const auto& [order, at] : paid) {
    std::optional<std::chrono::steady_clock::time_point> arrived;
    while (!(arrived = watcher.Arrival(order)) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!arrived) {
      ++missing;
      continue;
    }
    emails.Add({std::max(0.0, std::chrono::duration<double, std::micro>(*arrived - at).count())});
  }
  Report("orders paid", static_cast<double>(paid.size()), "orders");
  Report("payment p50 (the reference)", payments.Percentile(0.5) / 1000, "ms");
  Report("payment to email p50", emails.Percentile(0.5) / 1000, "ms");
  Report("payment to email p99", emails.Percentile(0.99) / 1000, "ms");
  ReportRatio("email p50 / payment p50", emails.Percentile(0.5) / payments.Percentile(0.5));
  Report("orders without an email", missing, "orders");
  Report("emails written", watcher.emails(), "emails");
  return missing == 0 && watcher.emails() == static_cast<int>(paid.size()) ? 0 : 1;
}
