// Fraud in the booking saga, with the order service's real SQL store (SQLite) and scripted
// inventory, payments and fraud: fraud decides with the money reserved and the seats booked,
// and each decision has its undo: deny releases and voids, a review waits for staff or its
// deadline, a fraud service that does not answer is replaced by the fallback.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/metrics/registry.h"
#include "platform/testing/status_matchers.h"
#include "services/order/app/order_service_fixture.h"

namespace travio::order {
namespace {

using ::travio::testing::StatusIs;

TEST_F(OrderServiceTest, FraudIsAskedAboutTheOrderOnceItsSeatsAreBooked) {
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult paid, Pay(id));
  EXPECT_EQ(StatusName(paid.order.status), "confirmed");
  const fraud::AssessRequest asked = fraud_.last();
  EXPECT_EQ(asked.org_id, "org-1");
  EXPECT_EQ(asked.order_id, id);
  EXPECT_EQ(asked.trip_id, "trip-1");
  EXPECT_EQ(asked.buyer, "buyer");
  EXPECT_EQ(asked.email, "rahim@example.com");
  EXPECT_EQ(asked.client_address, "203.0.113.7");
  EXPECT_EQ(asked.card_fingerprint, "fingerprint-4242424242424242");
  EXPECT_EQ(asked.seats, 2);
  EXPECT_EQ(asked.total, (Money{180000, "BDT"}));
  ASSERT_TRUE(paid.order.risk.has_value());
  EXPECT_EQ(paid.order.risk->assessment.decision, fraud::Decision::kAllow);
  ASSERT_OK_AND_ASSIGN(auto stored, store_->FindOrder(id));
  EXPECT_EQ(stored->view.risk, paid.order.risk);
}

// With screening off too: a closed counter sale is released, not captured and owed back.
TEST_F(OrderServiceTest, ACounterSaleClosedBeforeItsCaptureTakesNoCashUnscreened) {
  UseFraudPolicy({.screening = false});
  const std::string id = CreateOrder();
  inventory_.during_confirm = [&] { ASSERT_OK(service_->OnTripCancelled(CancelledTrip())); };
  EXPECT_FALSE(PayCash(id, "agent-7").ok());
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  EXPECT_EQ(payments_.Refunded(), 0);
}

// Staff hold the money in hand: a counter sale is never screened, not even when a resumed saga
// has lost the request's method (the payment still has it).
TEST_F(OrderServiceTest, CashTakenAtTheCounterIsNotScreened) {
  fraud_.Answer(fraud::Decision::kReview, 99);
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult paid, PayCash(id, "agent-7"));
  EXPECT_EQ(StatusName(paid.order.status), "confirmed");
  EXPECT_EQ(paid.payment.method, "cash");
  // The payment names who took the money, so each till can be counted.
  EXPECT_EQ(paid.payment.payer, "agent-7");
  EXPECT_EQ(calls_.Count("fraud"), 0);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
  EXPECT_FALSE(paid.order.risk.has_value());
}

// Cash is recorded by a named staff member, and only cash is.
TEST_F(OrderServiceTest, CashWithoutWhoTookItAndCardsWithACollectorAreRefused) {
  const std::string id = CreateOrder();
  EXPECT_THAT(PayCash(id, "").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
  auto carded = service_->Pay(
      {.buyer = "buyer",
       .order_id = id,
       .method = "card",
       .card = {.number = "4242424242424242", .exp_month = 12, .exp_year = 2035, .cvc = "123"},
       .client_address = "",
       .collected_by = "agent-7"});
  EXPECT_THAT(carded.status(), StatusIs(absl::StatusCode::kInvalidArgument, "validation_failed"));
  EXPECT_EQ(calls_.Count("payment.authorize"), 0);
  EXPECT_EQ(Status(id), "pending_payment");
}

// The trip is cancelled while a counter sale's seats are being confirmed: nothing is taken
// (the booking is released), rather than cash captured and then owed back.
TEST_F(OrderServiceTest, ACounterSaleClosedBeforeItsCaptureTakesNoCash) {
  const std::string id = CreateOrder();
  inventory_.during_confirm = [&] { ASSERT_OK(service_->OnTripCancelled(CancelledTrip())); };
  EXPECT_FALSE(PayCash(id, "agent-7").ok());
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  EXPECT_EQ(payments_.Refunded(), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
}

TEST_F(OrderServiceTest, ADeniedOrderGivesItsSeatsBackVoidsAndSaysRiskDeclined) {
  fraud_.Answer(fraud::Decision::kDeny, 90);
  const std::string id = CreateOrder();
  EXPECT_THAT(Pay(id).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "risk_declined"));
  EXPECT_EQ(calls_.calls,
            (std::vector<std::string>{"payment.authorize", "inventory.confirm hold-1", "fraud",
                                      "inventory.cancel booking-1", "payment.void payment-1",
                                      "inventory.release hold-1"}));
  EXPECT_EQ(Status(id), "expired");
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_EQ(order.risk->assessment.decision, fraud::Decision::kDeny);
  EXPECT_EQ(order.risk->assessment.score, 90);
  EXPECT_EQ(SagaLog(id).back(), "expire_order compensated");
}

TEST_F(OrderServiceTest, AReviewKeepsTheMoneyReservedUntilStaffApproveThenCapturesOnce) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult held, Pay(id));
  EXPECT_EQ(StatusName(held.order.status), "under_review");
  EXPECT_EQ(StatusName(held.payment.status), "authorized");
  EXPECT_EQ(held.order.risk->review_deadline, kStart + absl::Minutes(30));
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  // Waiting does nothing on its own before the deadline.
  clock_.Advance(absl::Minutes(5));
  EXPECT_EQ(*service_->ResumeSagas(), 0);
  // Not expired for being unpaid past its hold: its seats are booked already.
  EXPECT_EQ(*service_->ExpireOverdue(), 0);

  ASSERT_OK_AND_ASSIGN(OrderPage queue, service_->OrdersUnderReview("org-1", 50, ""));
  ASSERT_EQ(queue.items.size(), 1u);
  EXPECT_EQ(queue.items[0].id, id);
  EXPECT_EQ(queue.items[0].payments.size(), 1u);
  ASSERT_OK_AND_ASSIGN(OrderPage others, service_->OrdersUnderReview("org-2", 50, ""));
  EXPECT_TRUE(others.items.empty());
  EXPECT_THAT(service_->DecideReview("org-2", id, true, "mallory").status(),
              StatusIs(absl::StatusCode::kNotFound, "order_not_found"));

  ASSERT_OK_AND_ASSIGN(OrderView approved, service_->DecideReview("org-1", id, true, "manager-1"));
  EXPECT_EQ(StatusName(approved.status), "confirmed");
  EXPECT_EQ(approved.risk->verdict, "approved");
  EXPECT_EQ(approved.risk->reviewer, "manager-1");
  EXPECT_EQ(approved.risk->reviewed_at, kStart + absl::Minutes(5));
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "manager-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
  EXPECT_THAT(service_->DecideReview("org-1", id, false, "manager-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(*service_->ResumeSagas(), 0);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 0);
}

TEST_F(OrderServiceTest, ARejectedReviewGivesTheSeatsBackAndVoids) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  ASSERT_OK_AND_ASSIGN(OrderView rejected, service_->DecideReview("org-1", id, false, "m-1"));
  EXPECT_EQ(StatusName(rejected.status), "expired");
  EXPECT_EQ(rejected.risk->verdict, "rejected");
  EXPECT_EQ(calls_.Count("inventory.cancel booking-1"), 1);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "m-1").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
}

// The recovery loop looks for due sagas every second: one looking just as staff decide must
// not take the saga from under the decision, whose answer would then be the order as it was.
TEST_F(OrderServiceTest, TheRecoveryLoopCannotTakeTheSagaFromAReviewerDecidingIt) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  ASSERT_OK_AND_ASSIGN(std::vector<SagaRecord> sagas, store_->SagasOfOrder(id));
  ASSERT_EQ(sagas.size(), 1u);
  absl::StatusOr<bool> recovery_took = false;
  hooked_store_->after_wake = [&] {
    recovery_took = store_->ClaimSaga(sagas[0].id, "recovery-loop",
                                      clock_.Now() + absl::Seconds(30), clock_.Now());
  };
  ASSERT_OK_AND_ASSIGN(OrderView rejected, service_->DecideReview("org-1", id, false, "m-1"));
  ASSERT_OK(recovery_took);
  EXPECT_FALSE(*recovery_took);
  EXPECT_EQ(StatusName(rejected.status), "expired");
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
  EXPECT_EQ(calls_.Count("inventory.cancel booking-1"), 1);
}

// A runner that died holding the saga (mid-step, its lease not yet run out) cannot be run
// past: the decision is kept, and the saga resumes once the lease ends, not at the review's
// deadline, by when the payment's hold could be gone.
TEST_F(OrderServiceTest, ADecisionWhileADeadRunnerHoldsTheSagaIsActedOnWhenItsLeaseEnds) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  ASSERT_OK_AND_ASSIGN(std::vector<SagaRecord> sagas, store_->SagasOfOrder(id));
  ASSERT_EQ(sagas.size(), 1u);
  ASSERT_OK_AND_ASSIGN(
      bool taken, store_->ClaimSaga(sagas[0].id, "dead-runner", clock_.Now() + absl::Seconds(30),
                                    clock_.Now()));
  ASSERT_TRUE(taken);
  ASSERT_OK_AND_ASSIGN(OrderView decided, service_->DecideReview("org-1", id, true, "m-1"));
  EXPECT_EQ(decided.risk->verdict, "approved");
  EXPECT_EQ(StatusName(decided.status), "under_review");
  clock_.Advance(absl::Seconds(31));
  EXPECT_EQ(*service_->ResumeSagas(), 1);
  EXPECT_EQ(Status(id), "confirmed");
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 1);
}

TEST_F(OrderServiceTest, AReviewNoOneDecidesExpiresAtItsDeadlineAsIfRejected) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  clock_.Advance(absl::Minutes(30));
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "late").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
  EXPECT_EQ(*service_->ResumeSagas(), 1);
  EXPECT_EQ(Status(id), "expired");
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_EQ(order.risk->verdict, "expired");
  EXPECT_EQ(calls_.Count("inventory.cancel booking-1"), 1);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
}

TEST_F(OrderServiceTest, AnOrderUnderReviewOnACancelledTripIsReleasedWithoutCapture) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  catalog::PublishedTrip trip;
  trip.id = "trip-1";
  trip.org_id = "org-1";
  trip.status = catalog::TripStatus::kCancelled;
  ASSERT_OK(service_->OnTripCancelled(trip));
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(*service_->ResumeSagas(), 1);  // woken at once, not at the review's deadline
  EXPECT_EQ(calls_.Count("inventory.cancel booking-1"), 1);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "m").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
}

// Fraud unreachable: the configured fallback decides, the order records that it did, and the
// metrics count it.
TEST_F(OrderServiceTest, AFraudServiceThatDoesNotAnswerIsReplacedByTheFallback) {
  metrics::Registry metrics;
  UseFraudPolicy({.fallback = fraud::Decision::kDeny}, &metrics);
  fraud_.Fail(absl::DeadlineExceededError("fraud is slow"));
  const std::string id = CreateOrder();
  EXPECT_THAT(Pay(id).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "risk_declined"));
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_TRUE(order.risk->assessment.fallback);
  ASSERT_EQ(order.risk->assessment.reasons.size(), 1u);
  EXPECT_EQ(order.risk->assessment.reasons[0].signal, "fallback");
  EXPECT_NE(metrics.Render().find("travio_order_fraud_fallbacks_total{decision=\"deny\"} 1"),
            std::string::npos)
      << metrics.Render();
}

// Fraud answering with an error that is not an outage (it refused what it was asked): no
// fallback to allow; staff review the order.
TEST_F(OrderServiceTest, AFraudServiceThatFailsOtherwiseSendsTheOrderToReview) {
  fraud_.Fail(absl::FailedPreconditionError("a counter overflowed"));
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult held, Pay(id));
  EXPECT_EQ(StatusName(held.order.status), "under_review");
  EXPECT_TRUE(held.order.risk->assessment.fallback);
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
}

// Reviews keep seats booked for free: a buyer able to get orders reviewed at will would hold a
// bus for hours. Past the trip's share for reviews, a review is a denial.
TEST_F(OrderServiceTest, AReviewPastTheTripsShareForReviewsIsADenial) {
  UseFraudPolicy({.review_seats_without_capacity = 1});
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();  // two seats, more than the one allowed
  EXPECT_THAT(Pay(id).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "risk_declined"));
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_EQ(order.risk->assessment.decision, fraud::Decision::kDeny);
  EXPECT_EQ(order.risk->assessment.reasons[0].signal, "review_capacity");
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
  EXPECT_EQ(Status(id), "expired");
}

// On a nearly full bus the last seats must not all wait for reviews: at most half of what is
// left may be held for review, whatever the trip's share allows.
TEST_F(OrderServiceTest, ReviewsHoldAtMostHalfOfTheSeatsStillForSale) {
  // 40 seats, 2 still for sale after this order's 2 were booked, 2 under review for another.
  inventory::SeatMap map{.trip_id = "trip-1", .available = 2};
  map.decks.push_back({.name = "main", .rows = 10, .cols = 4});
  for (int i = 0; i < 40; ++i) {
    map.decks[0].cells.push_back({.row = i / 4,
                                  .col = i % 4,
                                  .type = "seat",
                                  .label = absl::StrCat("S", i),
                                  .category = "",
                                  .status = ""});
  }
  inventory_.seat_map = map;
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(auto stored, store_->FindOrder(id));
  OrderRecord other = *stored;
  other.view.id = "other-under-review";
  other.view.hold_id = "hold-other";
  other.view.status = OrderStatus::kUnderReview;
  ASSERT_OK(store_->CreateOrder(other, {}));
  fraud_.Answer(fraud::Decision::kReview, 60);
  // 2 held + 2 more would be 4 seats waiting, more than half of the 6 left to them.
  EXPECT_THAT(Pay(id).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "risk_declined"));
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_EQ(order.risk->assessment.reasons[0].signal, "review_capacity");
  EXPECT_EQ(fraud_.last().capacity, 40);
  // Counted on the order's own journey: seats sold on other legs are for sale on this one.
  EXPECT_EQ(inventory_.seat_map_journey, std::string(order.from) + "-" + order.to);
}

// A review never outlasts departure: approving after the bus left would take a fare nobody can
// use or get back.
TEST_F(OrderServiceTest, AReviewEndsAtDepartureAndNeedsTimeBeforeIt) {
  UseFraudPolicy({.review_limit = absl::Hours(500)});
  fraud_.Answer(fraud::Decision::kReview, 60, absl::Hours(100));  // the operator's long review
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult held, Pay(id));
  EXPECT_EQ(held.order.departs_at, kStart + absl::Hours(72));
  EXPECT_EQ(held.order.risk->review_deadline, held.order.departs_at);
  clock_.Advance(absl::Hours(72));
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "m").status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "not_under_review"));
  EXPECT_EQ(*service_->ResumeSagas(), 1);
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(calls_.Count("payment.capture payment-1"), 0);
  EXPECT_EQ(calls_.Count("payment.void payment-1"), 1);
}

TEST_F(OrderServiceTest, AReviewWithTooLittleTimeBeforeDepartureIsADenial) {
  UseFraudPolicy({.shortest_review = absl::Hours(100)});
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();  // departs in 72 hours
  EXPECT_THAT(Pay(id).status(), StatusIs(absl::StatusCode::kFailedPrecondition, "risk_declined"));
  ASSERT_OK_AND_ASSIGN(OrderView order, service_->GetOrder(id));
  EXPECT_EQ(order.risk->assessment.reasons[0].signal, "no_time_to_review");
}

TEST_F(OrderServiceTest, StaffMayNotDecideTheReviewOfTheirOwnOrder) {
  fraud_.Answer(fraud::Decision::kReview, 60);
  const std::string id = CreateOrder();  // bought by "buyer"
  ASSERT_OK(Pay(id));
  EXPECT_THAT(service_->DecideReview("org-1", id, true, "buyer").status(),
              StatusIs(absl::StatusCode::kPermissionDenied, "forbidden"));
  EXPECT_EQ(Status(id), "under_review");
}

// Someone tries card after card (card testing, guessing a security code): five failed payments
// end one order's attempts, ten a buyer's within an hour across orders, fifty an address's; no
// further authorization is asked of the provider.
TEST_F(OrderServiceTest, FailedPaymentsAreCountedBeforeAskingForAnotherAuthorization) {
  const std::string id = CreateOrder();
  payments_.decline = "card_declined";  // a provider's code, not only the sandbox's
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(Pay(id).ok()) << i;
  }
  payments_.decline = "";
  EXPECT_THAT(Pay(id).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, "too_many_attempts"));
  EXPECT_EQ(calls_.Count("payment.authorize"), 5);
}

TEST_F(OrderServiceTest, FailedPaymentsOfOneAddressAcrossBuyersAreCounted) {
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(auto stored, store_->FindOrder(id));
  // Other buyers' failed payments from the same address: 49 in the last hour, 10 before it.
  for (int i = 0; i < 59; ++i) {
    OrderRecord other = *stored;
    other.view.id = absl::StrCat("other-", i);
    other.view.hold_id = absl::StrCat("hold-other-", i);
    other.view.buyer = absl::StrCat("guest:", i);
    ASSERT_OK(store_->CreateOrder(other, {.id = absl::StrCat("event-", i),
                                          .type = "order.created.v1",
                                          .aggregate_id = other.view.id,
                                          .org_id = "org-1",
                                          .occurred_at = clock_.Now(),
                                          .trace_id = "",
                                          .payload = "{}"}));
    SagaRecord saga;
    saga.id = absl::StrCat("saga-", i);
    saga.order_id = other.view.id;
    saga.status = SagaStatus::kFailed;
    saga.payment_id = absl::StrCat("payment-other-", i);
    saga.failure_code = "payment_declined";
    saga.card_declined = true;
    saga.client_address = "203.0.113.7";
    saga.created_at = saga.updated_at = clock_.Now() - absl::Minutes(i < 49 ? 30 : 61);
    ASSERT_OK(store_->StartSaga(saga, {.step = "saga", .outcome = "started", .at = clock_.Now()},
                                other.version));
  }
  // The fiftieth in the hour is this buyer's own; then no further card is tried.
  payments_.decline = "payment_declined";
  EXPECT_THAT(Pay(id).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "payment_declined"));
  payments_.decline = "";
  EXPECT_THAT(Pay(id).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, "too_many_attempts"));
  EXPECT_EQ(calls_.Count("payment.authorize"), 1);
}

// Payments the provider never saw (an outage, a crash: payment_interrupted) are no card testing.
TEST_F(OrderServiceTest, PaymentsTheProviderNeverSawAreNotCountedAsDeclines) {
  const std::string id = CreateOrder();
  payments_.decline = "payment_interrupted";
  for (int i = 0; i < 6; ++i) EXPECT_FALSE(Pay(id).ok()) << i;
  payments_.decline = "";
  EXPECT_OK(Pay(id));
  EXPECT_EQ(calls_.Count("payment.authorize"), 7);
}

// Orders already in the store for other buyers or this one, each with a saga that ended as
// asked, `minutes_ago`, from 203.0.113.7.
void AddPastPayments(OrderStore& store, const OrderRecord& like, const std::string& buyer,
                     int count, bool declined, absl::Time at, const std::string& tag) {
  for (int i = 0; i < count; ++i) {
    OrderRecord other = like;
    other.view.id = absl::StrCat(tag, "-order-", i);
    other.view.hold_id = absl::StrCat(tag, "-hold-", i);
    other.view.buyer = buyer.empty() ? absl::StrCat("guest:", tag, i) : buyer;
    ASSERT_OK(store.CreateOrder(other, {.id = absl::StrCat(tag, "-event-", i),
                                        .type = "order.created.v1",
                                        .aggregate_id = other.view.id,
                                        .org_id = "org-1",
                                        .occurred_at = at,
                                        .trace_id = "",
                                        .payload = "{}"}));
    SagaRecord saga;
    saga.id = absl::StrCat(tag, "-saga-", i);
    saga.order_id = other.view.id;
    saga.status = declined ? SagaStatus::kFailed : SagaStatus::kCompleted;
    saga.payment_id = absl::StrCat(tag, "-payment-", i);
    saga.failure_code = declined ? "payment_declined" : "";
    saga.card_declined = declined;
    saga.client_address = "203.0.113.7";
    saga.created_at = saga.updated_at = at;
    ASSERT_OK(
        store.StartSaga(saga, {.step = "saga", .outcome = "started", .at = at}, other.version));
  }
}

TEST_F(OrderServiceTest, TenDeclinedCardsOfOneBuyerInAnHourStopTheirPayments) {
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(auto stored, store_->FindOrder(id));
  AddPastPayments(*store_, *stored, "buyer", 10, true, clock_.Now() - absl::Minutes(20), "b");
  EXPECT_THAT(Pay(id).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, "too_many_attempts"));
  EXPECT_EQ(calls_.Count("payment.authorize"), 0);
}

// Behind a carrier's shared address most payments go through: fifty declines among many more
// good payments block nobody.
TEST_F(OrderServiceTest, AnAddressWhosePaymentsMostlyGoThroughIsNotBlocked) {
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(auto stored, store_->FindOrder(id));
  const absl::Time recent = clock_.Now() - absl::Minutes(20);
  AddPastPayments(*store_, *stored, "", 50, true, recent, "bad");
  AddPastPayments(*store_, *stored, "", 60, false, recent, "good");
  EXPECT_OK(Pay(id));
}

// Fraud broken in a way that is not a refusal (its store down, a bug): the fallback decides,
// as for an outage.
TEST_F(OrderServiceTest, AFraudServiceThatBreaksIsReplacedByTheFallback) {
  fraud_.Fail(absl::InternalError("Redis: ERR max number of clients reached"));
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult paid, Pay(id));
  EXPECT_EQ(StatusName(paid.order.status), "confirmed");
  EXPECT_TRUE(paid.order.risk->assessment.fallback);
}

// A step that waits reads the order once; when the order changes before the wait is written
// (staff decide the review the moment it opens), the wait must not sleep through the change.
TEST_F(OrderServiceTest, AWaitFencedByTheOrderRunsAgainWhenTheOrderChangedMeanwhile) {
  const std::string id = CreateOrder();
  class ChangedUnderfoot final : public SagaSteps {
   public:
    explicit ChangedUnderfoot(OrderStore& store) : store_(store) {}
    StepOutcome Run(SagaRecord&, OrderRecord& order) override {
      if (++runs == 1) {
        OrderRecord changed = order;  // what someone else writes meanwhile
        changed.view.booking_id = "changed";
        ++changed.version;
        EXPECT_OK(store_.UpdateOrder(changed, {}));
        StepOutcome wait = StepOutcome::Wait(kStart + absl::Hours(1), "waiting");
        wait.order_changed = true;
        return wait;
      }
      seen = order.view.booking_id;
      return StepOutcome::End(SagaStatus::kCompleted);
    }
    int runs = 0;
    std::string seen;

   private:
    OrderStore& store_;
  } steps(*store_);
  SagaRunner runner(*store_, clock_, log::Logger::ToStderr(log::Level::kError),
                    {.instance_id = "test-instance"});
  ASSERT_OK_AND_ASSIGN(OrderRecord order, [&]() -> absl::StatusOr<OrderRecord> {
    TRAVIO_ASSIGN_OR_RETURN(auto found, store_->FindOrder(id));
    return *found;
  }());
  ASSERT_OK_AND_ASSIGN(
      SagaRecord saga,
      runner.Start(runner.NewSaga("saga-x", id, SagaKind::kBooking, SagaStep::kAwaitReview),
                   order.version, steps));
  EXPECT_EQ(steps.runs, 2);
  EXPECT_EQ(steps.seen, "changed");
  EXPECT_EQ(saga.status, SagaStatus::kCompleted);
}

TEST_F(OrderServiceTest, WithScreeningOffFraudIsNotAsked) {
  UseFraudPolicy({.screening = false});
  fraud_.Answer(fraud::Decision::kDeny, 100);
  const std::string id = CreateOrder();
  ASSERT_OK_AND_ASSIGN(PayResult paid, Pay(id));
  EXPECT_EQ(StatusName(paid.order.status), "confirmed");
  EXPECT_EQ(calls_.Count("fraud"), 0);
  EXPECT_FALSE(paid.order.risk.has_value());
}

}  // namespace
}  // namespace travio::order
