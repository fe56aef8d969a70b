// The booking saga's decisions, step by step, with the order service's real SQL store (SQLite)
// and scripted inventory and payment services behind their ports: compensations run in reverse
// and once, a hold that expires while the card is being authorized voids the payment, failures
// worth retrying park the saga and recovery finishes it, declines leave the order payable.
// Cancellations are in order_cancellation_test.cc.
#include "services/order/app/order_service.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"
#include "platform/trace/trace_context.h"
#include "services/order/app/order_service_fixture.h"

namespace travio::order {
namespace {

TEST_F(OrderServiceTest, EachOrderIsReservedAsABookingOfTheOperatorsPlan) {
  const std::string id = CreateOrder();
  EXPECT_EQ(quota_.reserved(), std::vector<std::string>{id});
  EXPECT_TRUE(quota_.released().empty());
}

TEST_F(OrderServiceTest, AnOperatorWithoutRoomForBookingsTakesNoOrder) {
  quota_.Fill();
  auto refused = TryCreateOrder();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReasonOf(refused.status()), "plan_limit_reached");
  // The traveller learns the operator cannot sell, not its plan or its volume.
  EXPECT_TRUE(ProblemFieldsOf(refused.status()).empty());
  EXPECT_EQ(refused.status().message().find("starter"), std::string_view::npos);
  // Nothing half-written: no order, no event, and the seats are still the buyer's to order.
  auto orders = service_->ListOrders("buyer", 10, "");
  ASSERT_OK(orders);
  EXPECT_TRUE(orders->items.empty());
  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  EXPECT_TRUE(pending->empty());
}

// Request keys as the gateway makes them: SHA-256 digests in hex.
const std::string kRequest1(64, 'a');
const std::string kRequest2(64, 'b');

TEST_F(OrderServiceTest, TheRequestThatMadeAnOrderGetsItAgainAndAnyOtherIsRefused) {
  auto made = TryCreateOrder(kRequest1);
  ASSERT_OK(made);
  // Its answer lost (the process killed before it answered, the gateway's record gone), the
  // same request comes again: the same order, and nothing made twice.
  auto again = TryCreateOrder(kRequest1);
  ASSERT_OK(again);
  EXPECT_EQ(again->id, made->id);
  EXPECT_EQ(again->status, OrderStatus::kPendingPayment);
  EXPECT_EQ(quota_.reserved(), std::vector<std::string>{made->id});
  auto pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  EXPECT_EQ(pending->size(), 1u);
  // Another request for the same hold, or one without a key, is refused.
  for (const std::string& other : {kRequest2, std::string()}) {
    auto refused = TryCreateOrder(other);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists) << other;
    EXPECT_EQ(ReasonOf(refused.status()), "hold_already_ordered");
  }
  // Racing itself (the order stored between the lookup and the insert): still its order.
  hooked_store_->hide_order_of_hold = 1;
  auto raced = TryCreateOrder(kRequest1);
  ASSERT_OK(raced);
  EXPECT_EQ(raced->id, made->id);
  hooked_store_->hide_order_of_hold = 1;
  EXPECT_EQ(ReasonOf(TryCreateOrder(kRequest2).status()), "hold_already_ordered");
  // One order, one event, one booking of the operator's plan (the raced ones given back).
  auto orders = service_->ListOrders("buyer", 10, "");
  ASSERT_OK(orders);
  EXPECT_EQ(orders->items.size(), 1u);
  pending = outbox_->Pending(10);
  ASSERT_OK(pending);
  EXPECT_EQ(pending->size(), 1u);
  EXPECT_EQ(quota_.released().size(), 2u);
}

TEST_F(OrderServiceTest, ARetriedRequestGetsItsOrderAsItIsNowWithItsPayment) {
  auto made = TryCreateOrder(kRequest1);
  ASSERT_OK(made);
  ASSERT_OK(Pay(made->id));
  auto again = TryCreateOrder(kRequest1);
  ASSERT_OK(again);
  EXPECT_EQ(again->id, made->id);
  EXPECT_EQ(again->status, OrderStatus::kConfirmed);
  ASSERT_EQ(again->payments.size(), 1u);
}

TEST_F(OrderServiceTest, ARetriedPaymentGetsThePaymentItMadeAndAnyOtherIsRefused) {
  const std::string id = CreateOrder();
  auto paid = Pay(id, kRequest1);
  ASSERT_OK(paid);
  // Its answer lost, the same request again: the payment it made, nothing charged twice.
  auto again = Pay(id, kRequest1);
  ASSERT_OK(again);
  EXPECT_EQ(again->payment.id, paid->payment.id);
  EXPECT_EQ(again->order.status, OrderStatus::kConfirmed);
  auto sagas = store_->SagasOfOrder(id);
  ASSERT_OK(sagas);
  EXPECT_EQ(sagas->size(), 1u);
  // Another request, or one without a key, finds the order paid.
  for (const std::string& other : {kRequest2, std::string()}) {
    EXPECT_EQ(ReasonOf(Pay(id, other).status()), "order_not_payable") << other;
  }
  EXPECT_EQ(Pay(id, "not-a-digest").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(OrderServiceTest, APaymentRequestThatFailedIsTriedAgainWhenRetried) {
  const std::string id = CreateOrder();
  payments_.decline = "payment_declined";
  EXPECT_EQ(ReasonOf(Pay(id, kRequest1).status()), "payment_declined");
  // The same request again (its answer lost with the gateway's record): a new attempt.
  payments_.decline.clear();
  auto paid = Pay(id, kRequest1);
  ASSERT_OK(paid);
  EXPECT_EQ(paid->order.status, OrderStatus::kConfirmed);
}

TEST_F(OrderServiceTest, AnotherBuyersRequestNeverGetsTheOrderWhateverItsKey) {
  ASSERT_OK(TryCreateOrder(kRequest1));
  CreateOrderCommand stranger{.buyer = "stranger",
                              .hold_id = "hold-1",
                              .passengers = {{"A1", {.name = "X", .gender = "male", .age = 30}}},
                              .contact = {.email = "x@example.com", .phone = ""},
                              .request_key = kRequest1};
  for (int hidden : {0, 1}) {
    hooked_store_->hide_order_of_hold = hidden;
    auto refused = service_->CreateOrder(stranger);
    ASSERT_FALSE(refused.ok()) << hidden;
    EXPECT_EQ(ReasonOf(refused.status()), "hold_expired") << hidden;
  }
}

TEST_F(OrderServiceTest, ARequestKeyThatIsNoDigestIsRefusedAndStoresNothing) {
  for (const std::string& key : {std::string(129, 'k'), std::string("ABC"), std::string(64, '\0'),
                                 std::string(64, 'A'), std::string(63, 'a')}) {
    auto refused = TryCreateOrder(key);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << key.size();
    const std::vector<FieldError> fields = FieldErrorsOf(refused.status());
    ASSERT_EQ(fields.size(), 1u);
    EXPECT_EQ(fields[0].field, "request_key");
  }
  auto orders = service_->ListOrders("buyer", 10, "");
  ASSERT_OK(orders);
  EXPECT_TRUE(orders->items.empty());
}

TEST_F(OrderServiceTest, SalesDoNotWaitForASubscriptionServiceThatDoesNotAnswer) {
  quota_.GoAway();
  const std::string id = CreateOrder();
  EXPECT_FALSE(id.empty());
  EXPECT_TRUE(quota_.reserved().empty());
}

TEST_F(OrderServiceTest, EveryStepIsLoggedBeforeAndAfterItRuns) {
  const std::string id = CreateOrder();
  auto paid = Pay(id);
  ASSERT_OK(paid);
  EXPECT_EQ(StatusName(paid->payment.status), "captured");
  EXPECT_EQ(StatusName(paid->order.status), "confirmed");
  EXPECT_EQ(paid->order.booking_id, "booking-1");
  EXPECT_EQ(SagaLog(id),
            (std::vector<std::string>{
                "saga started", "authorize started", "authorize succeeded", "confirm_seats started",
                "confirm_seats succeeded", "fraud started", "fraud succeeded", "capture started",
                "capture succeeded", "confirm_order started", "confirm_order completed"}));
  EXPECT_EQ(calls_.calls, (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1",
                                                    "fraud", "payment.capture payment-1"}));
}

// The card takes longer to authorize than the hold has left: the pivot is refused by the
// hold's fence, the authorization is voided, the order expires and its hold is released.
TEST_F(OrderServiceTest, AHoldExpiringDuringTheAuthorizationVoidsThePayment) {
  const std::string id = CreateOrder();
  payments_.authorize_takes = absl::Minutes(6);
  auto paid = Pay(id);
  EXPECT_EQ(ReasonOf(paid.status()), "hold_expired");
  EXPECT_EQ(calls_.calls,
            (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1",
                                      "payment.void payment-1", "inventory.release hold-1"}));
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(StatusName(payments_.GetPayment("payment-1")->status), "voided");
  EXPECT_EQ(SagaLog(id).back(), "expire_order compensated");
  // Nothing more happens later.
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(*service_->ResumeSagas(), 0);
  EXPECT_EQ(*service_->ExpireOverdue(), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
}

// A refused capture cannot leave seats sold without money: the seats are given back first,
// then the authorization voided: the compensations of the steps done, in reverse, once each.
TEST_F(OrderServiceTest, ARefusedCaptureGivesTheSeatsBackThenVoids) {
  const std::string id = CreateOrder();
  payments_.capture_answer =
      Error(absl::StatusCode::kFailedPrecondition, "invalid_payment_state", "lapsed");
  auto paid = Pay(id);
  EXPECT_FALSE(paid.ok());
  EXPECT_EQ(calls_.calls,
            (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1", "fraud",
                                      "payment.capture payment-1", "inventory.cancel booking-1",
                                      "payment.void payment-1", "inventory.release hold-1"}));
  EXPECT_EQ(Status(id), "expired");
}

// The saga backlog an operator watches (an alert fires on it): parked sagas count, with the age
// of the oldest, until they end.
TEST_F(OrderServiceTest, TheSagaBacklogCountsSagasUntilTheyEnd) {
  metrics::Registry metrics;
  UseFraudPolicy({}, &metrics);
  auto gauge = [&metrics](const std::string& series) {
    const std::string text = metrics.Render();
    const size_t at = text.find(series + " ");
    if (at == std::string::npos) return std::string("absent");
    return text.substr(at + series.size() + 1, text.find('\n', at) - at - series.size() - 1);
  };
  ASSERT_OK(service_->ReportSagaBacklog());
  EXPECT_EQ(gauge("travio_saga_running{saga=\"booking\"}"), "0");
  EXPECT_EQ(gauge("travio_saga_running{saga=\"cancellation\"}"), "0");

  const std::string id = CreateOrder();
  for (int i = 0; i < 2; ++i) inventory_.confirm_script.push_back(absl::UnavailableError("down"));
  EXPECT_EQ(ReasonOf(Pay(id).status()), "payment_pending");  // parked
  clock_.Advance(absl::Seconds(1));
  ASSERT_OK(service_->ReportSagaBacklog());
  EXPECT_EQ(gauge("travio_saga_running{saga=\"booking\"}"), "1");
  EXPECT_EQ(gauge("travio_saga_oldest_running_seconds{saga=\"booking\"}"), "1");
  EXPECT_EQ(gauge("travio_saga_running{saga=\"cancellation\"}"), "0");
  ASSERT_EQ(*service_->ResumeSagas(), 1);  // still down
  clock_.Advance(absl::Seconds(2));
  ASSERT_OK(service_->ReportSagaBacklog());
  EXPECT_EQ(gauge("travio_saga_oldest_running_seconds{saga=\"booking\"}"), "3");
  ASSERT_EQ(*service_->ResumeSagas(), 1);
  ASSERT_EQ(Status(id), "confirmed");
  ASSERT_OK(service_->ReportSagaBacklog());
  EXPECT_EQ(gauge("travio_saga_running{saga=\"booking\"}"), "0");
  EXPECT_EQ(gauge("travio_saga_oldest_running_seconds{saga=\"booking\"}"), "0");
}

// A saga parked during the traveller's request and finished later by the recovery loop (on a
// thread of its own, outside any trace) goes on in that request's trace: the events it
// appends, and so their consumers' log lines, carry it.
TEST_F(OrderServiceTest, AResumedSagaGoesOnInTheTraceOfTheRequestThatBeganIt) {
  const std::string id = CreateOrder();
  inventory_.confirm_script.push_back(absl::UnavailableError("down"));
  const trace::TraceContext request = trace::NewTrace();
  {
    trace::Scope scope(request);
    EXPECT_EQ(ReasonOf(Pay(id).status()), "payment_pending");
  }
  clock_.Advance(absl::Seconds(1));
  ASSERT_EQ(trace::Current(), nullptr);
  ASSERT_EQ(*service_->ResumeSagas(), 1);
  ASSERT_EQ(Status(id), "confirmed");
  ASSERT_OK_AND_ASSIGN(auto pending, outbox_->Pending(100));
  int confirmed = 0;
  for (const auto& [sequence, event] : pending) {
    if (event.type != "order.confirmed.v1") continue;
    ++confirmed;
    EXPECT_EQ(event.trace_id, request.trace_id);
  }
  EXPECT_EQ(confirmed, 1);
}

// Inventory unreachable at the pivot: the request does not wait to try again (retries belong to
// the saga runner, not to request threads): the saga is parked with its lease given up and a
// backoff that grows with each failure, and the recovery loop finishes it once its time comes.
TEST_F(OrderServiceTest, AnUnreachablePivotParksTheSagaAndRecoveryFinishesIt) {
  const std::string id = CreateOrder();
  for (int i = 0; i < 2; ++i) inventory_.confirm_script.push_back(absl::UnavailableError("down"));
  auto paid = Pay(id);
  EXPECT_EQ(ReasonOf(paid.status()), "payment_pending");
  EXPECT_EQ(Status(id), "pending_payment");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 1);  // once, then parked
  EXPECT_EQ(*service_->ResumeSagas(), 0);                  // not before its time
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*service_->ResumeSagas(), 1);  // still down: parked again, for twice as long
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 2);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*service_->ResumeSagas(), 0);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*service_->ResumeSagas(), 1);
  EXPECT_EQ(Status(id), "confirmed");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 3);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.authorize"), 1);
  const std::vector<std::string> log = SagaLog(id);
  EXPECT_EQ(std::count(log.begin(), log.end(), "confirm_seats parked"), 2);
  // A second payment of the confirmed order is refused.
  EXPECT_EQ(ReasonOf(Pay(id).status()), "order_not_payable");
}

TEST_F(OrderServiceTest, ADeclinedCardEndsTheSagaAndLeavesTheOrderPayable) {
  const std::string id = CreateOrder();
  payments_.decline = "insufficient_funds";
  auto declined = Pay(id);
  EXPECT_EQ(ReasonOf(declined.status()), "payment_declined");
  EXPECT_EQ(Status(id), "pending_payment");
  EXPECT_EQ(calls_.Count("inventory.confirm hold-1"), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 0);
  EXPECT_EQ(SagaLog(id).back(), "authorize failed");
  payments_.decline.clear();
  auto paid = service_->Pay(
      {.buyer = "buyer",
       .order_id = id,
       .method = "card",
       .card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2035, .cvc = "123"}});
  ASSERT_OK(paid);
  EXPECT_EQ(Status(id), "confirmed");
  // Someone else's order does not exist for them.
  EXPECT_EQ(service_->Pay({.buyer = "stranger", .order_id = id}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(OrderServiceTest, AnUnpaidOrderExpiresAtItsHoldsDeadline) {
  const std::string id = CreateOrder();
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(*service_->ExpireOverdue(), 0);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(*service_->ExpireOverdue(), 1);
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(calls_.Count("inventory.release hold-1"), 1);
  EXPECT_EQ(ReasonOf(Pay(id).status()), "order_expired");
}

// The fence is the database's: a saga starts only on the order version the caller read.
TEST_F(OrderServiceTest, ASagaStartsOnlyOnTheOrderVersionItWasAskedFor) {
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(std::optional<OrderRecord> order, store_->FindOrder(id));
  SagaRecord saga{.id = "saga-x", .order_id = id};
  EXPECT_THAT(store_->StartSaga(saga, {.step = "saga", .outcome = "started"}, order->version + 1),
              testing::StatusIs(absl::StatusCode::kAborted, "order_changed"));
  EXPECT_TRUE(store_->SagasOfOrder(id)->empty());
  EXPECT_OK(store_->StartSaga(saga, {.step = "saga", .outcome = "started"}, order->version));
}

}  // namespace
}  // namespace travio::order
