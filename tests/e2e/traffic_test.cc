// Traffic control through the public API, on both deployments, with the per-client limits on
// and the test acting as a trusted proxy (X-Forwarded-For names each simulated client): a
// hoarder minting guests is stopped before it holds a trip while another client books; a
// register flood is refused while a booking completes; a flood of seat streams from one
// address is refused beyond its cap while the server stays responsive; and, between
// processes, a dead inventory answers 503 at once and recovers without a gateway restart.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/testing/wait.h"
#include "tests/e2e/order_api.h"
#include "tests/e2e/stream_reader.h"

namespace travio::e2e {
namespace {

class TrafficE2eTest : public OrderApiTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    environment["TRAVIO_GATEWAY_CLIENT_LIMITS"] = "on";
    environment["TRAVIO_HTTP_TRUSTED_PROXIES"] = "127.0.0.1";
    return environment;
  }

  static std::map<std::string, std::string> From(const std::string& address) {
    return {{"X-Forwarded-For", address}};
  }
  HttpResult GuestFrom(const std::string& address, HttpClient& client) {
    return Send("POST", "/v1/auth/guest", nullptr, "", &client, From(address));
  }
  HttpResult LockFrom(const std::string& address, const std::string& token,
                      const std::vector<std::string>& seats, HttpClient& client) {
    return Send("POST", "/v1/inventory/lock", {{"trip_id", trip_}, {"seats", seats}}, token,
                &client, From(address));
  }

  // An honest traveller from its own address: a guest holds two seats, orders and pays.
  void BookTwoSeats(const std::vector<std::string>& seats) {
    HttpClient client(deployment_->base_url());
    const std::string guest = Guest(&client);
    const json hold = Created(Lock(guest, seats, "DHK", "CXB", &client));
    const json order = Created(
        PostOrder(guest, OrderRequest(hold["hold_id"], seats), "order-" + seats[0], &client));
    const HttpResult paid = Pay(guest, order["id"], kGoodCard, "pay-" + seats[0], &client);
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_EQ(Body(paid)["status"], "captured") << paid.body;
  }
};

TEST_P(TrafficE2eTest, AHoarderMintingGuestsIsStoppedBeforeItHoldsTheTrip) {
  const std::string hoarder = "203.0.113.66";
  HttpClient client(deployment_->base_url());
  int held = 0;
  int guests = 0;
  std::string refusal;
  const char rows[] = "ABCDEFGHIJ";
  const absl::Time first_guest = absl::Now();
  for (int attempt = 0; attempt < 10 && refusal.empty(); ++attempt) {
    const HttpResult guest = GuestFrom(hoarder, client);
    if (guest.status != 200) {
      refusal = guest.body;
      break;
    }
    ++guests;
    const std::string row(1, rows[attempt]);
    const HttpResult hold = LockFrom(hoarder, Body(guest)["access_token"],
                                     {row + "1", row + "2", row + "3", row + "4"}, client);
    if (hold.status == 201) {
      held += 4;
      continue;
    }
    ASSERT_EQ(hold.status, 429) << hold.body;
    EXPECT_EQ(Body(hold)["code"], "hold_limit");
    EXPECT_FALSE(Header(hold, "retry-after").empty());
    refusal = hold.body;
  }
  // Twenty seats per address and trip (gateway.hold_seats_per_address): half the bus.
  EXPECT_EQ(held, 20) << refusal;
  EXPECT_EQ(guests, 6);
  std::map<std::string, std::string> statuses = Statuses("DHK", "CXB");
  int available = 0;
  for (const auto& [label, status] : statuses) available += status == "available";
  EXPECT_EQ(available, 20);
  // Someone else still books.
  BookTwoSeats({"J3", "J4"});
  // Guests themselves are limited per address: twenty a minute.
  int minted = guests;
  HttpResult last;
  while (minted < 40) {
    last = GuestFrom(hoarder, client);
    if (last.status != 200) break;
    ++minted;
  }
  // GCRA: twenty at once, and one more for every three seconds since the first (a slow
  // machine takes that long over the holds and the booking above).
  const int refilled = static_cast<int>((absl::Now() - first_guest) / absl::Seconds(3));
  EXPECT_GE(minted, 20);
  EXPECT_LE(minted, 20 + refilled);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(Body(last)["code"], "rate_limited");
  EXPECT_FALSE(Header(last, "retry-after").empty());
  EXPECT_EQ(Header(last, "ratelimit-policy"), "\"guest-address\";q=20;w=60");
  EXPECT_EQ(Header(last, "ratelimit").rfind("\"guest-address\";r=0;t=", 0), 0u)
      << Header(last, "ratelimit");
  // An IPv4-mapped form of the same address is the same client.
  EXPECT_EQ(GuestFrom("::ffff:" + hoarder, client).status, 429);
  EXPECT_EQ(GuestFrom("198.51.100.23", client).status, 200);
}

TEST_P(TrafficE2eTest, ARegisterFloodIsRefusedWhileABookingCompletes) {
  std::atomic<bool> stop{false};
  std::atomic<int> rate_limited{0};
  std::atomic<int> busy{0};
  std::atomic<int> registered{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  std::vector<std::thread> flood;
  for (int t = 0; t < 12; ++t) {
    flood.emplace_back([&, t] {
      HttpClient client(deployment_->base_url());
      for (int i = 0; !stop && i < 400; ++i) {
        // Half the threads from one address, half from a new address each time (a botnet).
        const std::string address =
            t % 2 == 0 ? "203.0.113.99" : absl::StrCat("198.18.", t, ".", i % 250);
        const HttpResult result =
            Send("POST", "/v1/auth/register",
                 {{"email", absl::StrCat("flood-", t, "-", i, "@example.com")},
                  {"password", kPassword},
                  {"name", "Flood"}},
                 "", &client, From(address));
        if (result.status == 201) {
          ++registered;
        } else if (result.status == 429 && Body(result)["code"] == "rate_limited") {
          ++rate_limited;
        } else if (result.status == 503 && Body(result)["code"] == "sign_in_busy") {
          ++busy;
        } else {
          std::lock_guard lock(mutex);
          unexpected.push_back(absl::StrCat(result.status, " ", result.body));
        }
      }
    });
  }
  // The flood is under way before the booking starts, and still on when it ends.
  ASSERT_TRUE(testing::WaitFor([&] { return rate_limited > 0; }, absl::Seconds(60)));
  BookTwoSeats({"A1", "A2"});
  const bool flooding = !stop;
  stop = true;
  for (std::thread& thread : flood) thread.join();
  EXPECT_TRUE(flooding);
  EXPECT_TRUE(unexpected.empty()) << unexpected.front();
  EXPECT_GT(rate_limited, 0);
  EXPECT_GT(registered, 0);
  std::cout << "register flood: " << registered << " registered, " << rate_limited
            << " rate limited, " << busy << " refused busy\n";
}

// Plan changes and new organizations mail owners: an owner looping on them is held to the
// orders' rate (30 a minute), not the reads' (300).
TEST_P(TrafficE2eTest, WhatMailsOwnersIsLimitedLikeOrders) {
  int refused_at = 0;
  for (int i = 1; i <= 40 && refused_at == 0; ++i) {
    const HttpResult changed = Send("PUT", "/v1/subscription", {{"plan", "growth"}}, owner_);
    if (changed.status == 429) refused_at = i;
  }
  EXPECT_GT(refused_at, 0) << "40 plan changes in a row were all taken";
  const std::string founder = SignUp("founder");
  refused_at = 0;
  for (int i = 1; i <= 40 && refused_at == 0; ++i) {
    const HttpResult org = Send("POST", "/v1/orgs", {{"name", absl::StrCat("Lines ", i)}}, founder);
    if (org.status == 429) refused_at = i;
  }
  EXPECT_GT(refused_at, 0) << "40 organizations in a row were all created";
}

TEST_P(TrafficE2eTest, SeatStreamsFromOneAddressAreCappedAndTheServerStaysResponsive) {
  const std::string path = "/v1/trips/" + trip_ + "/seats/stream";
  const std::string from = "X-Forwarded-For: 198.51.100.50\r\n";
  std::vector<std::unique_ptr<StreamReader>> open;
  for (int i = 0; i < 8; ++i) {
    open.push_back(std::make_unique<StreamReader>(deployment_->base_url(), path, from));
    ASSERT_NE(open.back()->ReadUntil(": watching").find("HTTP/1.1 200"), std::string::npos);
  }
  StreamReader ninth(deployment_->base_url(), path, from);
  const std::string& refused = ninth.ReadUntil("}");
  EXPECT_NE(refused.find("HTTP/1.1 429"), std::string::npos) << refused;
  EXPECT_NE(refused.find("too_many_streams"), std::string::npos) << refused;
  // Ten thousand more from that address, over a few connections: every one refused.
  std::atomic<int> refusals{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      HttpClient client(deployment_->base_url());
      for (int i = 0; i < 2500; ++i) {
        if (client.Get(path, From("198.51.100.50")).status == 429) ++refusals;
      }
    });
  }
  // Meanwhile the server answers everyone else.
  HttpClient other(deployment_->base_url());
  EXPECT_EQ(other.Get("/healthz").status, 200);
  EXPECT_EQ(other.Get(SeatsPath()).status, 200);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(refusals, 10000);
  StreamReader elsewhere(deployment_->base_url(), path, "X-Forwarded-For: 198.51.100.51\r\n");
  EXPECT_NE(elsewhere.ReadUntil(": watching").find("HTTP/1.1 200"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Deployments, TrafficE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

// Between processes only: the monolith has no upstream to lose. Client limits stay off here
// (the harness's default): the test makes many holds as one traveller on purpose.
class CircuitE2eTest : public OrderApiTest {
 protected:
  std::map<std::string, std::string> Environment() const override {
    auto environment = OrderApiTest::Environment();
    environment["TRAVIO_GRPC_BREAKER_OPEN_FOR"] = "1s";
    return environment;
  }
};

TEST_P(CircuitE2eTest, ADeadInventoryAnswers503AtOnceAndRecoversWithoutAGatewayRestart) {
  HttpClient client(deployment_->base_url());
  const std::string guest = Guest(&client);
  Created(Lock(guest, {"B1"}, "DHK", "CXB", &client));
  deployment_->Signal("inventory", SIGKILL);
  // Failures open the circuit (ten calls, at least half failing).
  HttpResult result;
  for (int i = 0; i < 30; ++i) {
    result = Lock(guest, {"B2"}, "DHK", "CXB", &client);
    if (Header(result, "retry-after") != "" && result.status == 503) break;
  }
  ASSERT_EQ(result.status, 503) << result.body;
  EXPECT_EQ(Body(result)["code"], "unavailable");
  EXPECT_FALSE(Header(result, "retry-after").empty());
  // Measured, not asserted: how fast an open circuit answers.
  const auto started = std::chrono::steady_clock::now();
  constexpr int kTimed = 20;
  int unavailable = 0;
  for (int i = 0; i < kTimed; ++i)
    unavailable += Lock(guest, {"B2"}, "DHK", "CXB", &client).status == 503;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::cout << "open circuit: " << kTimed << " holds answered in " << ms << " ms (" << ms / kTimed
            << " ms each)\n";
  EXPECT_EQ(unavailable, kTimed);
  ASSERT_OK(deployment_->Restart("inventory"));
  // The half-open probes find it back; holds work again through the same gateway.
  EXPECT_TRUE(testing::WaitFor(
      [&] { return Lock(guest, {"B2"}, "DHK", "CXB", &client).status == 201; }, absl::Seconds(30)))
      << deployment_->Logs();
}

INSTANTIATE_TEST_SUITE_P(Deployments, CircuitE2eTest, ::testing::Values(Mode::kMicroservices),
                         ModeName);

}  // namespace
}  // namespace travio::e2e
