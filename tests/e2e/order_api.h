#pragma once

// The order suites' fixture: the trip network, and helpers to order and pay through the API.

#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/e2e/trip_network.h"

namespace travio::e2e {

inline constexpr char kGoodCard[] = "4242424242424242";
inline constexpr char kDeclinedCard[] = "4000000000000002";
inline constexpr char kWebhookSecret[] = "e2e-sandbox-webhook-secret";

inline std::string Header(const HttpResult& result, const std::string& name) {
  auto it = result.headers.find(name);
  return it == result.headers.end() ? "" : it->second;
}

// The payment that took the money (captured, then perhaps refunded) among an order's payments.
inline json CapturedPayment(const json& order) {
  for (const json& payment : order["payments"]) {
    const std::string status = payment["status"];
    if (status == "captured" || status == "partially_refunded" || status == "refunded") {
      return payment;
    }
  }
  return nullptr;
}

class OrderApiTest : public TripNetworkTest {
 protected:
  // Sagas left by a killed process are resumed within about a second.
  std::map<std::string, std::string> Environment() const override {
    return {{"TRAVIO_ORDER_SAGA_LEASE", "1s"},
            {"TRAVIO_ORDER_RECOVERY_INTERVAL", "100ms"},
            // Known to the tests, which act as the provider sending (and replaying) webhooks.
            {"TRAVIO_PAYMENT_SANDBOX_WEBHOOK_SECRET", kWebhookSecret}};
  }

  // The contact of the case's orders: a case of its own, as the suite's cases may share a
  // deployment (mail and texts are looked up by it).
  static int NextCase() {
    static std::atomic<int> counter{0};
    return ++counter;
  }
  const int case_number_ = NextCase();
  const std::string contact_email_ = absl::StrCat("buyer", case_number_, "@example.com");
  const std::string contact_phone_ = absl::StrCat("+88017", 10000000 + case_number_);

  // One passenger per seat ("Passenger A1"), and the case's contact.
  json OrderRequest(const std::string& hold_id, const std::vector<std::string>& seats) {
    json passengers = json::array();
    for (size_t i = 0; i < seats.size(); ++i) {
      passengers.push_back({{"seat", seats[i]},
                            {"name", "Passenger " + seats[i]},
                            {"gender", i % 2 ? "female" : "male"},
                            {"age", 30 + static_cast<int>(i)}});
    }
    return {{"hold_id", hold_id},
            {"passengers", passengers},
            {"contact", {{"email", contact_email_}, {"phone", contact_phone_}}}};
  }

  // POST /v1/orders with `key` as Idempotency-Key (none when empty).
  HttpResult PostOrder(const std::string& token, const json& body, const std::string& key,
                       HttpClient* client = nullptr) {
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Idempotency-Key"] = key;
    return Send("POST", "/v1/orders", body, token, client, headers);
  }

  HttpResult Pay(const std::string& token, const std::string& order_id, const std::string& card,
                 const std::string& key, HttpClient* client = nullptr) {
    return Send("POST", "/v1/payments",
                {{"order_id", order_id},
                 {"method",
                  {{"type", "card"},
                   {"number", card},
                   {"exp_month", 12},
                   {"exp_year", 2035},
                   {"cvc", "123"}}}},
                token, client, {{"Idempotency-Key", key}});
  }

  // Pays through the sandbox's hosted page: 202 with the payment pending at its redirect_url.
  HttpResult PayByRedirect(const std::string& token, const std::string& order_id,
                           const std::string& key) {
    return Send("POST", "/v1/payments",
                {{"order_id", order_id}, {"method", {{"type", "redirect"}}}}, token, nullptr,
                {{"Idempotency-Key", key}});
  }

  // Holds, orders and pays for `seats`; the confirmed order.
  json PaidOrder(const std::string& token, const std::vector<std::string>& seats,
                 const std::string& from, const std::string& to) {
    static std::atomic<int> counter{0};
    const std::string key = absl::StrCat("paid-order-", ++counter);
    const json hold = Created(Lock(token, seats, from, to));
    const json order = Created(PostOrder(token, OrderRequest(hold["hold_id"], seats), key));
    const HttpResult paid = Pay(token, order["id"], kGoodCard, key);
    EXPECT_EQ(paid.status, 201) << paid.body;
    return Ok(Get("/v1/orders/" + order["id"].get<std::string>(), token));
  }

  // The order once it reached `status` (background work: expiry, recovery, events), or as it
  // is after 30 seconds.
  json AwaitStatus(const std::string& token, const std::string& order_id,
                   const std::string& status) {
    json order;
    std::string last_answer;
    for (int i = 0; i < 300; ++i) {
      const HttpResult result = Get("/v1/orders/" + order_id, token);
      last_answer = absl::StrCat(result.status, " ", result.body);
      if (result.status == 200) {
        order = Body(result);
        if (order["status"] == status) return order;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "order " << order_id << " never became " << status << ": " << order.dump()
                  << "\nlast answer: " << last_answer << "\n"
                  << deployment_->Logs();
    return order;
  }
};

}  // namespace travio::e2e
