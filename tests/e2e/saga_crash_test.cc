// The sagas survive their process being killed (SIGKILL, through the order.test_crash_at hook)
// before and after every step: once restarted, every order ends consistent. Booked seats go
// with captured money, and an order that was not confirmed has no money taken and can still be
// paid; a cancellation gives its seat back and refunds exactly once. On the monolith the whole
// process dies; in microservices the order service does while the others keep running.
#include <csignal>

#include "platform/testing/status_matchers.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

class SagaCrashE2eTest : public OrderApiTest {
 protected:
  // Restarts the order service with the hook at `point` (empty: disarmed). The process is
  // killed rather than stopped: nothing is in flight, and a graceful stop drains for seconds.
  void Arm(const std::string& point) {
    deployment_->Signal("order", SIGKILL);
    const absl::Status restarted =
        deployment_->Restart("order", {{"TRAVIO_ORDER_TEST_CRASH_AT", point}});
    ASSERT_OK(restarted) << deployment_->Logs();
    // Until the gateway has reconnected to the new process, it answers 503.
    const std::string token = Guest();
    for (int i = 0; i < 100 && Get("/v1/orders", token).status != 200; ++i) {
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  // The traveller sends the interrupted payment request again, with its key, until it is
  // answered: the payment the killed process began, once recovery has finished it, or a new
  // attempt when the kill left nothing to resume. Returns the answer's body.
  json RetryPayment(const std::string& token, const std::string& order_id, const std::string& key) {
    for (int i = 0; i < 300; ++i) {
      const HttpResult paid = Pay(token, order_id, kGoodCard, key);
      if (paid.status == 201) return Body(paid);
      // Not yet: the gateway reconnects (503), or recovery has yet to finish the saga
      // (503 payment_pending). Nothing else is an answer to a retry.
      if (paid.status != 0 && paid.status != 503) {
        ADD_FAILURE() << "the retry was answered " << paid.status << " " << paid.body;
        return json();
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "order " << order_id << " never settled" << deployment_->Logs();
    return json();
  }
};

TEST_P(SagaCrashE2eTest, AKillBeforeOrAfterAnyBookingStepLeavesTheOrderConsistent) {
  {
    SCOPED_TRACE("create_order:after");
    // Killed once the order is stored, before it is answered (and, on the monolith, with the
    // gateway's record of the key): the same request sent again gets the order it made, which
    // is paid as any; another request for the hold is refused.
    const std::vector<std::string> seats = {"A3", "A4"};
    Arm("create_order:after");
    const std::string guest = Guest();
    const json hold = Created(Lock(guest, seats, "DHK", "CTG"));
    const json request = OrderRequest(hold["hold_id"], seats);
    const HttpResult killed = PostOrder(guest, request, "order-create");
    EXPECT_TRUE(killed.status == 0 || killed.status >= 500) << killed.status << killed.body;
    Arm("");
    HttpResult retried = PostOrder(guest, request, "order-create");
    for (int i = 0; i < 100 && (retried.status == 0 || retried.status == 503); ++i) {
      absl::SleepFor(absl::Milliseconds(100));
      retried = PostOrder(guest, request, "order-create");
    }
    const json order = Created(retried);
    const HttpResult other = PostOrder(guest, request, "another-request");
    EXPECT_EQ(other.status, 409) << other.body;
    EXPECT_EQ(Body(other)["code"], "hold_already_ordered");
    EXPECT_EQ(Ok(Get("/v1/orders", guest))["items"].size(), 1u);
    const HttpResult paid = Pay(guest, order["id"], kGoodCard, "pay-create");
    EXPECT_EQ(paid.status, 201) << paid.body;
    EXPECT_EQ(AwaitStatus(guest, order["id"], "confirmed")["status"], "confirmed");
  }
  const std::vector<std::string> points = {
      "authorize:before",     "authorize:after",    "confirm_seats:before", "confirm_seats:after",
      "fraud:before",         "fraud:after",        "capture:before",       "capture:after",
      "confirm_order:before", "confirm_order:after"};
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string& point = points[i];
    SCOPED_TRACE(point);
    // Each kill gets seats of its own row: A1/A2, B1/B2, ...
    const std::string row(1, static_cast<char>('A' + i));
    const std::vector<std::string> seats = {row + "1", row + "2"};
    Arm(point);
    const std::string guest = Guest();
    const json hold = Created(Lock(guest, seats, "DHK", "CTG"));
    const json created =
        Created(PostOrder(guest, OrderRequest(hold["hold_id"], seats), "order-" + point));
    const std::string id = created["id"];
    const HttpResult killed = Pay(guest, id, kGoodCard, "pay-" + point);
    // The process died before answering: no answer (monolith) or 503 from the gateway.
    EXPECT_TRUE(killed.status == 0 || killed.status >= 500) << killed.status << killed.body;
    Arm("");

    // A kill before the authorization leaves nothing to resume from (the card is never
    // stored): the retry pays. From the authorization on, the saga finishes by itself (fraud,
    // asked again after a kill, counts the order once) and the retry is answered its payment.
    const json paid = RetryPayment(guest, id, "pay-" + point);
    const json order = Ok(Get("/v1/orders/" + id, guest));
    EXPECT_EQ(order["status"], "confirmed");
    // One payment, captured, for the total, and it is the one the retry was answered: never
    // money twice, never seats without money.
    ASSERT_EQ(order["payments"].size(), 1u) << order.dump();
    EXPECT_EQ(paid.value("id", ""), order["payments"][0]["id"]);
    EXPECT_EQ(order["payments"][0]["status"], "captured");
    EXPECT_EQ(order["payments"][0]["amount"], order["total"]);
    const auto statuses = Statuses("DHK", "CTG");
    EXPECT_EQ(statuses.at(seats[0]), "booked");
    EXPECT_EQ(statuses.at(seats[1]), "booked");
  }
  // The seats of no killed request or saga were sold twice or lost: 22 booked, the rest free.
  int booked = 0;
  for (const auto& [seat, status] : Statuses("DHK", "CTG")) booked += status == "booked";
  EXPECT_EQ(booked, 22);
}

TEST_P(SagaCrashE2eTest, AKillBeforeOrAfterAnyCancellationStepRefundsExactlyOnce) {
  const std::vector<std::string> points = {
      "free_seats:before", "free_seats:after",          "refund:before",
      "refund:after",      "close_cancellation:before", "close_cancellation:after"};
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string& point = points[i];
    SCOPED_TRACE(point);
    const std::string row(1, static_cast<char>('A' + i));
    const std::string guest = Guest();
    const std::string id = PaidOrder(guest, {row + "1", row + "2"}, "DHK", "CXB")["id"];
    Arm(point);
    const json quote =
        Ok(Send("POST", "/v1/orders/" + id + "/cancel-quote", {{"seats", {row + "2"}}}, guest));
    const HttpResult killed =
        Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", quote["quote_id"]}}, guest);
    EXPECT_TRUE(killed.status == 0 || killed.status >= 500) << killed.status << killed.body;
    Arm("");

    const json order = AwaitStatus(guest, id, "partially_cancelled");
    ASSERT_EQ(order["refunds"].size(), 1u) << order.dump();
    EXPECT_EQ(order["refunds"][0]["amount"], quote["refund"]);
    EXPECT_EQ(CapturedPayment(order)["refunded"]["amount"], quote["refund"]["amount"]);
    EXPECT_EQ(CapturedPayment(order)["status"], "partially_refunded");
    const auto statuses = Statuses("DHK", "CXB");
    EXPECT_EQ(statuses.at(row + "1"), "booked");
    EXPECT_EQ(statuses.at(row + "2"), "available");
    // The traveller retries the cancellation: the same order, no second refund.
    const json again =
        Ok(Send("POST", "/v1/orders/" + id + "/cancel", {{"quote_id", quote["quote_id"]}}, guest));
    EXPECT_EQ(again["refunds"].size(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Deployments, SagaCrashE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
