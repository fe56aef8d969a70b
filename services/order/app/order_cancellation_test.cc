// Cancelling an order, with the saga runner and scripted services of order_service_test.cc:
// a quote holds only for the order it was made on and until its refund tier ends, under the
// policy the order was sold under; a trip cancelled meanwhile refunds what is left, once.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "platform/testing/status_matchers.h"
#include "services/order/app/order_service.h"
#include "services/order/app/order_service_fixture.h"

namespace travio::order {
namespace {

TEST_F(OrderServiceTest, AQuoteIsAcceptedOnlyOnTheOrderItWasMadeOn) {
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  // Two quotes of the order as it is now: one seat each.
  ASSERT_OK_AND_ASSIGN(CancelQuote first, service_->QuoteCancellation("buyer", id, {"A2"}));
  ASSERT_OK_AND_ASSIGN(CancelQuote second, service_->QuoteCancellation("buyer", id, {"A1"}));
  ASSERT_OK(service_->Cancel("buyer", id, first.quote_id));
  // The order changed since the second quote: it is refused, and nothing more is refunded.
  EXPECT_THAT(service_->Cancel("buyer", id, second.quote_id),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, "not_cancellable"));
  EXPECT_EQ(payments_.Refunded(), first.refund.amount);
  EXPECT_EQ(Status(id), "partially_cancelled");
  // A quote of the order as it is now goes through.
  ASSERT_OK_AND_ASSIGN(CancelQuote fresh, service_->QuoteCancellation("buyer", id, {"A1"}));
  ASSERT_OK(service_->Cancel("buyer", id, fresh.quote_id));
  EXPECT_EQ(payments_.Refunded(), first.refund.amount + fresh.refund.amount);
  EXPECT_EQ(Status(id), "cancelled");
}

// Seats inventory refuses to free (a booking it does not know, a call it does not allow) are
// still sold: nothing is refunded and the order stays as it was.
TEST_F(OrderServiceTest, SeatsThatCouldNotBeFreedAreNeverRefunded) {
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  ASSERT_OK_AND_ASSIGN(CancelQuote quote, service_->QuoteCancellation("buyer", id, {"A2"}));
  inventory_.cancel_script.push_back(absl::PermissionDeniedError("not allowed"));
  EXPECT_THAT(service_->Cancel("buyer", id, quote.quote_id),
              testing::StatusIs(absl::StatusCode::kAborted, "cancellation_failed"));
  EXPECT_EQ(payments_.Refunded(), 0);
  EXPECT_EQ(Status(id), "confirmed");
  // Asked again with the same quote, it answers the same and still refunds nothing.
  EXPECT_THAT(service_->Cancel("buyer", id, quote.quote_id),
              testing::StatusIs(absl::StatusCode::kAborted, "cancellation_failed"));
  EXPECT_EQ(payments_.Refunded(), 0);
}

// An operator may cut refunds for tickets it sells from now on, not for those already sold.
TEST_F(OrderServiceTest, ACancellationIsQuotedUnderThePolicyTheOrderWasSoldUnder) {
  const std::string id = CreateOrder();  // sold under the default: 90% with 48 hours' notice
  ASSERT_OK(Pay(id));
  ASSERT_OK(service_->SetRefundPolicy("org-1", {.tiers = {{absl::Hours(1), 0}}}));
  ASSERT_OK_AND_ASSIGN(CancelQuote quote, service_->QuoteCancellation("buyer", id, {"A1"}));
  EXPECT_EQ(quote.percent, 90);
  EXPECT_EQ(quote.refund.amount, 81000);
}

// A quote ends with its refund tier: kept past the start of a lower tier it is refused, so it
// cannot refund more than the policy allows by then.
TEST_F(OrderServiceTest, AQuoteKeptPastItsTierIsRefused) {
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  const absl::Time departure = kStart + absl::Hours(72);
  clock_.Set(departure - absl::Hours(48) - absl::Minutes(5));  // 5 minutes left at 90%
  ASSERT_OK_AND_ASSIGN(CancelQuote quote, service_->QuoteCancellation("buyer", id, {"A1"}));
  EXPECT_EQ(quote.percent, 90);
  EXPECT_EQ(quote.expires_at, departure - absl::Hours(48));
  clock_.Advance(absl::Minutes(6));  // the 75% tier now
  EXPECT_THAT(service_->Cancel("buyer", id, quote.quote_id),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, "quote_expired"));
  EXPECT_EQ(payments_.Refunded(), 0);
}

// The trip is cancelled (its pending orders expire) while the capture is in flight: the order
// is not confirmed with the money kept; the seats are given back and the money refunded.
TEST_F(OrderServiceTest, AnOrderClosedDuringItsCaptureIsRefundedNotConfirmed) {
  const std::string id = CreateOrder();
  catalog::PublishedTrip trip;
  trip.id = "trip-1";
  trip.org_id = "org-1";
  trip.status = catalog::TripStatus::kCancelled;
  payments_.during_capture = [&] { ASSERT_OK(service_->OnTripCancelled(trip)); };
  EXPECT_THAT(Pay(id),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition, "order_not_payable"));
  EXPECT_EQ(Status(id), "expired");
  EXPECT_EQ(payments_.Refunded(), 180000);
  EXPECT_EQ(calls_.Count("inventory.cancel booking-1"), 1);
  EXPECT_EQ(SagaLog(id).back(), "expire_order compensated");
}

// A cancellation event refunds only the orders its operator sold, and only for a trip that is
// cancelled: another operator's event (or a trip merely changed) refunds nothing.
TEST_F(OrderServiceTest, ATripCancellationRefundsOnlyItsOwnOperatorsOrders) {
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  catalog::PublishedTrip trip;
  trip.id = "trip-1";
  trip.org_id = "org-2";
  trip.status = catalog::TripStatus::kCancelled;
  ASSERT_OK(service_->OnTripCancelled(trip));
  EXPECT_EQ(payments_.Refunded(), 0);
  EXPECT_EQ(Status(id), "confirmed");
  trip.org_id = "org-1";
  trip.status = catalog::TripStatus::kPublished;
  ASSERT_OK(service_->OnTripCancelled(trip));
  EXPECT_EQ(payments_.Refunded(), 0);
  EXPECT_EQ(Status(id), "confirmed");
  trip.status = catalog::TripStatus::kCancelled;
  ASSERT_OK(service_->OnTripCancelled(trip));
  EXPECT_EQ(payments_.Refunded(), 180000);
  EXPECT_EQ(Status(id), "cancelled");
}

// A trip cancelled while some seats of an order are being cancelled: the event comes again
// until that cancellation is done, then the other seats are refunded in full (none twice).
TEST_F(OrderServiceTest, ATripCancellationRefundsTheSeatsAPartialCancellationLeaves) {
  const std::string id = CreateOrder();
  ASSERT_OK(Pay(id));
  ASSERT_OK_AND_ASSIGN(CancelQuote quote, service_->QuoteCancellation("buyer", id, {"A2"}));
  payments_.refund_script.push_back(absl::UnavailableError("provider down"));
  EXPECT_THAT(service_->Cancel("buyer", id, quote.quote_id),
              testing::StatusIs(absl::StatusCode::kUnavailable, "cancellation_pending"));
  catalog::PublishedTrip trip;
  trip.id = "trip-1";
  trip.org_id = "org-1";
  trip.status = catalog::TripStatus::kCancelled;
  EXPECT_THAT(service_->OnTripCancelled(trip), testing::StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(payments_.Refunded(), 0);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(*service_->ResumeSagas(), 1);  // the partial cancellation finishes
  EXPECT_EQ(Status(id), "partially_cancelled");
  ASSERT_OK(service_->OnTripCancelled(trip));  // delivered again
  EXPECT_EQ(Status(id), "cancelled");
  EXPECT_EQ(payments_.Refunded(), quote.refund.amount + 90000);
  ASSERT_OK(service_->OnTripCancelled(trip));  // and again: nothing more
  EXPECT_EQ(payments_.Refunded(), quote.refund.amount + 90000);
}

}  // namespace
}  // namespace travio::order
