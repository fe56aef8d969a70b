#include "services/payment/api/proto_conversions.h"

#include <gtest/gtest.h>

namespace travio::payment {
namespace {

void ExpectSame(const PaymentView& got, const PaymentView& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.order_id, want.order_id);
  EXPECT_EQ(got.org_id, want.org_id);
  EXPECT_EQ(got.payer, want.payer);
  EXPECT_EQ(got.provider, want.provider);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.amount, want.amount);
  EXPECT_EQ(got.refunded, want.refunded);
  EXPECT_EQ(got.card_brand, want.card_brand);
  EXPECT_EQ(got.card_last4, want.card_last4);
  EXPECT_EQ(got.failure_code, want.failure_code);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
}

void ExpectSame(const RefundView& got, const RefundView& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.payment_id, want.payment_id);
  EXPECT_EQ(got.order_id, want.order_id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.amount, want.amount);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.created_at, want.created_at);
}

void ExpectSame(const AuthorizeCommand& got, const AuthorizeCommand& want) {
  EXPECT_EQ(got.key, want.key);
  EXPECT_EQ(got.order_id, want.order_id);
  EXPECT_EQ(got.org_id, want.org_id);
  EXPECT_EQ(got.payer, want.payer);
  EXPECT_EQ(got.amount, want.amount);
  ASSERT_EQ(got.card.has_value(), want.card.has_value());
  if (want.card) {
    EXPECT_EQ(got.card->number, want.card->number);
    EXPECT_EQ(got.card->exp_month, want.card->exp_month);
    EXPECT_EQ(got.card->exp_year, want.card->exp_year);
    EXPECT_EQ(got.card->cvc, want.card->cvc);
  }
}

PaymentView SomePayment(const std::string& id) {
  return PaymentView{.id = id,
                     .order_id = "ord_1",
                     .org_id = "org_1",
                     .payer = "usr_1",
                     .provider = "sandbox",
                     .status = PaymentStatus::kPartiallyRefunded,
                     .amount = {125000, "INR"},
                     .refunded = 30000,
                     .card_brand = "visa",
                     .card_last4 = "4242",
                     .failure_code = "payment_interrupted",
                     .created_at = absl::FromUnixMicros(1'700'000'000'123'456),
                     .updated_at = absl::FromUnixMicros(1'700'000'100'654'321)};
}

RefundView SomeRefund(const std::string& id) {
  return RefundView{.id = id,
                    .payment_id = "pay_1",
                    .order_id = "ord_1",
                    .status = RefundStatus::kSucceeded,
                    .amount = {30000, "INR"},
                    .reason = "cancellation",
                    .created_at = absl::FromUnixMicros(1'700'000'200'000'001)};
}

template <typename Proto, typename T>
auto RoundTrip(const T& value) {
  Proto proto;
  ToProto(value, proto);
  // Through the wire too, so nothing rides only on in-memory state.
  Proto received;
  EXPECT_TRUE(received.ParseFromString(proto.SerializeAsString()));
  return FromProto(received);
}

TEST(PaymentConversions, PaymentViewSurvivesTheWire) {
  const PaymentView payment = SomePayment("pay_1");
  ExpectSame(RoundTrip<v1::PaymentView>(payment), payment);
}

TEST(PaymentConversions, RefundViewSurvivesTheWire) {
  const RefundView refund = SomeRefund("ref_1");
  ExpectSame(RoundTrip<v1::RefundView>(refund), refund);
}

TEST(PaymentConversions, ListsKeepTheirOrder) {
  const std::vector<PaymentView> payments = {SomePayment("pay_1"), SomePayment("pay_2")};
  const std::vector<PaymentView> got_payments = RoundTrip<v1::PaymentList>(payments);
  ASSERT_EQ(got_payments.size(), 2u);
  ExpectSame(got_payments[0], payments[0]);
  ExpectSame(got_payments[1], payments[1]);

  const std::vector<RefundView> refunds = {SomeRefund("ref_1"), SomeRefund("ref_2")};
  const std::vector<RefundView> got_refunds = RoundTrip<v1::RefundList>(refunds);
  ASSERT_EQ(got_refunds.size(), 2u);
  ExpectSame(got_refunds[0], refunds[0]);
  ExpectSame(got_refunds[1], refunds[1]);

  EXPECT_TRUE(RoundTrip<v1::PaymentList>(std::vector<PaymentView>{}).empty());
}

TEST(PaymentConversions, AuthorizeCommandWithCardSurvivesTheWire) {
  const AuthorizeCommand command{
      .key = "order:ord_1:attempt:1",
      .order_id = "ord_1",
      .org_id = "org_1",
      .payer = "usr_1",
      .amount = {125000, "INR"},
      .card = Card{.number = "4242424242424242", .exp_month = 12, .exp_year = 2034, .cvc = "123"}};
  ExpectSame(RoundTrip<v1::AuthorizeRequest>(command), command);
}

TEST(PaymentConversions, AbsentCardStaysAbsent) {
  const AuthorizeCommand command{.key = "order:ord_1:attempt:1",
                                 .order_id = "ord_1",
                                 .org_id = "org_1",
                                 .payer = "usr_1",
                                 .amount = {125000, "INR"},
                                 .card = std::nullopt};
  v1::AuthorizeRequest request;
  ToProto(command, request);
  EXPECT_FALSE(request.has_card());
  ExpectSame(RoundTrip<v1::AuthorizeRequest>(command), command);

  // A card whose fields are all defaults is still a card.
  AuthorizeCommand blank = command;
  blank.card = Card{};
  v1::AuthorizeRequest blank_request;
  ToProto(blank, blank_request);
  EXPECT_TRUE(blank_request.has_card());
  ExpectSame(RoundTrip<v1::AuthorizeRequest>(blank), blank);
}

}  // namespace
}  // namespace travio::payment
