#include "services/order/api/proto_conversions.h"

#include <gtest/gtest.h>

namespace travio::order {
namespace {

absl::Time At(int64_t micros) { return absl::FromUnixMicros(micros); }

void ExpectSame(const Passenger& got, const Passenger& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.gender, want.gender);
  EXPECT_EQ(got.age, want.age);
  EXPECT_EQ(got.phone, want.phone);
}

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

void ExpectSame(const OrderView& got, const OrderView& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.org_id, want.org_id);
  EXPECT_EQ(got.trip_id, want.trip_id);
  EXPECT_EQ(got.buyer, want.buyer);
  EXPECT_EQ(got.hold_id, want.hold_id);
  EXPECT_EQ(got.from, want.from);
  EXPECT_EQ(got.to, want.to);
  EXPECT_EQ(got.departs_at, want.departs_at);
  ASSERT_EQ(got.items.size(), want.items.size());
  for (size_t i = 0; i < want.items.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got.items[i].seat, want.items[i].seat);
    ExpectSame(got.items[i].passenger, want.items[i].passenger);
    EXPECT_EQ(got.items[i].price, want.items[i].price);
    EXPECT_EQ(got.items[i].status, want.items[i].status);
  }
  EXPECT_EQ(got.contact.email, want.contact.email);
  EXPECT_EQ(got.contact.phone, want.contact.phone);
  EXPECT_EQ(got.contact.locale, want.contact.locale);
  EXPECT_EQ(got.total, want.total);
  EXPECT_EQ(got.expires_at, want.expires_at);
  EXPECT_EQ(got.booking_id, want.booking_id);
  EXPECT_EQ(got.created_at, want.created_at);
  EXPECT_EQ(got.updated_at, want.updated_at);
  ASSERT_EQ(got.payments.size(), want.payments.size());
  for (size_t i = 0; i < want.payments.size(); ++i) ExpectSame(got.payments[i], want.payments[i]);
  ASSERT_EQ(got.refunds.size(), want.refunds.size());
  for (size_t i = 0; i < want.refunds.size(); ++i) ExpectSame(got.refunds[i], want.refunds[i]);
}

void ExpectSame(const ManifestLine& got, const ManifestLine& want) {
  EXPECT_EQ(got.order_id, want.order_id);
  EXPECT_EQ(got.seat, want.seat);
  ExpectSame(got.passenger, want.passenger);
  EXPECT_EQ(got.from, want.from);
  EXPECT_EQ(got.to, want.to);
  EXPECT_EQ(got.contact_phone, want.contact_phone);
}

Passenger Aged() {
  return {.name = "Asha Rao", .gender = "female", .age = 34, .phone = "+919800000001"};
}
Passenger Ageless() {
  return {.name = "Ravi Rao", .gender = "male", .age = std::nullopt, .phone = "+919800000002"};
}
Passenger Newborn() { return {.name = "Mira Rao", .gender = "other", .age = 0, .phone = ""}; }

PaymentView SomePayment() {
  return PaymentView{.id = "pay_1",
                     .order_id = "ord_1",
                     .org_id = "org_1",
                     .payer = "usr_1",
                     .provider = "sandbox",
                     .status = payment::PaymentStatus::kPartiallyRefunded,
                     .amount = {250000, "INR"},
                     .refunded = 90000,
                     .card_brand = "visa",
                     .card_last4 = "4242",
                     .failure_code = "payment_declined",
                     .created_at = At(1'700'000'000'000'011),
                     .updated_at = At(1'700'000'000'000'012)};
}

OrderView SomeOrder(const std::string& id) {
  return OrderView{
      .id = id,
      .status = OrderStatus::kPartiallyCancelled,
      .org_id = "org_1",
      .trip_id = "trp_1",
      .buyer = "usr_1",
      .hold_id = "hld_1",
      .from = "BLR",
      .to = "MYS",
      .departs_at = At(1'700'100'000'000'001),
      .items = {{.seat = "A1",
                 .passenger = Aged(),
                 .price = {125000, "INR"},
                 .status = ItemStatus::kActive},
                {.seat = "A2",
                 .passenger = Ageless(),
                 .price = {125000, "INR"},
                 .status = ItemStatus::kCancelled},
                {.seat = "A3",
                 .passenger = Newborn(),
                 .price = {0, "INR"},
                 .status = ItemStatus::kActive}},
      .contact = {.email = "asha@example.com", .phone = "+919800000001", .locale = "bn"},
      .total = {250000, "INR"},
      .expires_at = At(1'700'000'600'000'002),
      .booking_id = "bkg_1",
      .created_at = At(1'700'000'000'000'003),
      .updated_at = At(1'700'000'900'000'004),
      .payments = {SomePayment()},
      .refunds = {RefundView{.id = "ref_1",
                             .payment_id = "pay_1",
                             .order_id = id,
                             .status = payment::RefundStatus::kSucceeded,
                             .amount = {90000, "INR"},
                             .reason = "cancellation",
                             .created_at = At(1'700'000'900'000'005)}}};
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

TEST(OrderConversions, PassengerAgeKeepsItsPresence) {
  ExpectSame(RoundTrip<v1::Passenger>(Aged()), Aged());
  ExpectSame(RoundTrip<v1::Passenger>(Ageless()), Ageless());
  ExpectSame(RoundTrip<v1::Passenger>(Newborn()), Newborn());

  v1::Passenger proto;
  ToProto(Ageless(), proto);
  EXPECT_FALSE(proto.has_age());
  ToProto(Newborn(), proto);
  EXPECT_TRUE(proto.has_age());
}

TEST(OrderConversions, OrderViewSurvivesTheWire) {
  const OrderView order = SomeOrder("ord_1");
  ExpectSame(RoundTrip<v1::OrderView>(order), order);
  ExpectSame(RoundTrip<v1::OrderView>(OrderView{}), OrderView{});
}

TEST(OrderConversions, OrderPageSurvivesTheWire) {
  const OrderPage page{.items = {SomeOrder("ord_2"), SomeOrder("ord_1")}, .next_cursor = "c2"};
  const OrderPage got = RoundTrip<v1::OrderPage>(page);
  ASSERT_EQ(got.items.size(), 2u);
  ExpectSame(got.items[0], page.items[0]);
  ExpectSame(got.items[1], page.items[1]);
  EXPECT_EQ(got.next_cursor, "c2");
}

TEST(OrderConversions, PayResultSurvivesTheWire) {
  const PayResult result{.payment = SomePayment(), .order = SomeOrder("ord_1")};
  const PayResult got = RoundTrip<v1::PayResult>(result);
  ExpectSame(got.payment, result.payment);
  ExpectSame(got.order, result.order);
}

TEST(OrderConversions, CancelQuoteSurvivesTheWire) {
  const CancelQuote quote{.quote_id = "qte_1",
                          .order_id = "ord_1",
                          .seats = {"A1", "A3"},
                          .refund = {112500, "INR"},
                          .fee = {12500, "INR"},
                          .tier = "48h",
                          .percent = 90,
                          .expires_at = At(1'700'000'300'000'006)};
  const CancelQuote got = RoundTrip<v1::CancelQuote>(quote);
  EXPECT_EQ(got.quote_id, quote.quote_id);
  EXPECT_EQ(got.order_id, quote.order_id);
  EXPECT_EQ(got.seats, quote.seats);
  EXPECT_EQ(got.refund, quote.refund);
  EXPECT_EQ(got.fee, quote.fee);
  EXPECT_EQ(got.tier, quote.tier);
  EXPECT_EQ(got.percent, quote.percent);
  EXPECT_EQ(got.expires_at, quote.expires_at);
}

TEST(OrderConversions, ManifestSurvivesTheWire) {
  const std::vector<ManifestLine> lines = {{.order_id = "ord_1",
                                            .seat = "A1",
                                            .passenger = Aged(),
                                            .from = "BLR",
                                            .to = "MYS",
                                            .contact_phone = "+919800000001"},
                                           {.order_id = "ord_2",
                                            .seat = "B4",
                                            .passenger = Ageless(),
                                            .from = "BLR",
                                            .to = "MDY",
                                            .contact_phone = ""}};
  const std::vector<ManifestLine> got = RoundTrip<v1::ManifestLines>(lines);
  ASSERT_EQ(got.size(), 2u);
  ExpectSame(got[0], lines[0]);
  ExpectSame(got[1], lines[1]);
}

TEST(OrderConversions, CreateOrderCommandSurvivesTheWire) {
  const CreateOrderCommand command{.buyer = "usr_1",
                                   .hold_id = "hld_1",
                                   .passengers = {{"A2", Ageless()}, {"A1", Aged()}},
                                   .contact = {.email = "asha@example.com", .phone = ""},
                                   .request_key = "0f3a9c"};
  const CreateOrderCommand got = RoundTrip<v1::CreateOrderRequest>(command);
  EXPECT_EQ(got.request_key, command.request_key);
  EXPECT_EQ(got.buyer, command.buyer);
  EXPECT_EQ(got.hold_id, command.hold_id);
  ASSERT_EQ(got.passengers.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got.passengers[i].first, command.passengers[i].first);
    ExpectSame(got.passengers[i].second, command.passengers[i].second);
  }
  EXPECT_EQ(got.contact.email, command.contact.email);
  EXPECT_EQ(got.contact.phone, command.contact.phone);
}

TEST(OrderConversions, PayCommandSurvivesTheWire) {
  const PayCommand command{
      .buyer = "usr_1",
      .order_id = "ord_1",
      .card = {.number = "4000000000000002", .exp_month = 7, .exp_year = 2031, .cvc = "9876"},
      .request_key = "5d41402a"};
  const PayCommand got = RoundTrip<v1::PayRequest>(command);
  EXPECT_EQ(got.request_key, command.request_key);
  EXPECT_EQ(got.buyer, command.buyer);
  EXPECT_EQ(got.order_id, command.order_id);
  EXPECT_EQ(got.card.number, command.card.number);
  EXPECT_EQ(got.card.exp_month, command.card.exp_month);
  EXPECT_EQ(got.card.exp_year, command.card.exp_year);
  EXPECT_EQ(got.card.cvc, command.card.cvc);
}

TEST(OrderConversions, RefundPoliciesSurviveTheWire) {
  for (const bool is_default : {true, false}) {
    SCOPED_TRACE(is_default);
    const RefundPolicyView view{
        .policy = {{{absl::Hours(720), 100}, {absl::Minutes(90), 35}, {absl::Minutes(1), 0}}},
        .is_default = is_default};
    const RefundPolicyView got = RoundTrip<v1::RefundPolicyView>(view);
    EXPECT_EQ(got.policy.tiers, view.policy.tiers);
    EXPECT_EQ(got.is_default, is_default);
  }
  // The policy a SetRefundPolicy request carries, alone.
  const RefundPolicy policy{{{absl::Hours(24), 60}}};
  EXPECT_EQ(RoundTrip<v1::RefundPolicy>(policy).tiers, policy.tiers);
  // An empty policy stays empty (the service refuses it, not the wire).
  EXPECT_TRUE(RoundTrip<v1::RefundPolicy>(RefundPolicy{}).tiers.empty());
}

}  // namespace
}  // namespace travio::order
