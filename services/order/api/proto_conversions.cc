#include "services/order/api/proto_conversions.h"

#include "services/payment/api/proto_conversions.h"

namespace travio::order {
namespace {

template <typename Repeated>
std::vector<std::string> Strings(const Repeated& values) {
  return {values.begin(), values.end()};
}

void ContactToProto(const Contact& contact, v1::Contact& out) {
  out.set_email(contact.email);
  out.set_phone(contact.phone);
  out.set_locale(contact.locale);
}

Contact ContactFromProto(const v1::Contact& contact) {
  return {contact.email(), contact.phone(), contact.locale().empty() ? "en" : contact.locale()};
}

void ItemToProto(const OrderItem& item, v1::OrderItem& out) {
  out.set_seat(item.seat);
  ToProto(item.passenger, *out.mutable_passenger());
  payment::ToProto(item.price, *out.mutable_price());
  out.set_status(std::string(NameOf(kItemStatusNames, item.status)));
}

OrderItem ItemFromProto(const v1::OrderItem& item) {
  return OrderItem{
      .seat = item.seat(),
      .passenger = FromProto(item.passenger()),
      .price = payment::FromProto(item.price()),
      // Unknown on the wire: not counted as a seat the order still has.
      .status = ParseName(kItemStatusNames, item.status()).value_or(ItemStatus::kCancelled)};
}

void LineToProto(const ManifestLine& line, v1::ManifestLine& out) {
  out.set_order_id(line.order_id);
  out.set_seat(line.seat);
  ToProto(line.passenger, *out.mutable_passenger());
  out.set_from(line.from);
  out.set_to(line.to);
  out.set_contact_phone(line.contact_phone);
}

ManifestLine LineFromProto(const v1::ManifestLine& line) {
  return ManifestLine{.order_id = line.order_id(),
                      .seat = line.seat(),
                      .passenger = FromProto(line.passenger()),
                      .from = line.from(),
                      .to = line.to(),
                      .contact_phone = line.contact_phone()};
}

void RiskToProto(const OrderRisk& risk, v1::OrderRisk& out) {
  const fraud::Assessment& assessment = risk.assessment;
  out.set_decision(std::string(fraud::DecisionName(assessment.decision)));
  out.set_score(assessment.score);
  for (const fraud::RiskReason& reason : assessment.reasons) {
    v1::RiskReason& wire = *out.add_reasons();
    wire.set_signal(reason.signal);
    wire.set_weight(reason.weight);
    wire.set_detail(reason.detail);
  }
  out.set_review_for_seconds(absl::ToInt64Seconds(assessment.review_for));
  out.set_fallback(assessment.fallback);
  out.set_review_deadline_us(absl::ToUnixMicros(risk.review_deadline));
  out.set_verdict(risk.verdict);
  out.set_reviewer(risk.reviewer);
  out.set_reviewed_at_us(absl::ToUnixMicros(risk.reviewed_at));
}

OrderRisk RiskFromProto(const v1::OrderRisk& risk) {
  OrderRisk out;
  // Unknown on the wire: held back, never let through.
  out.assessment.decision =
      ParseName(fraud::kDecisionNames, risk.decision()).value_or(fraud::Decision::kDeny);
  out.assessment.score = risk.score();
  for (const v1::RiskReason& reason : risk.reasons()) {
    out.assessment.reasons.push_back(
        {.signal = reason.signal(), .weight = reason.weight(), .detail = reason.detail()});
  }
  out.assessment.review_for = absl::Seconds(risk.review_for_seconds());
  out.assessment.fallback = risk.fallback();
  out.review_deadline = absl::FromUnixMicros(risk.review_deadline_us());
  out.verdict = risk.verdict();
  out.reviewer = risk.reviewer();
  out.reviewed_at = absl::FromUnixMicros(risk.reviewed_at_us());
  return out;
}

}  // namespace

void ToProto(const Passenger& passenger, v1::Passenger& out) {
  out.set_name(passenger.name);
  out.set_gender(passenger.gender);
  if (passenger.age) out.set_age(*passenger.age);
  out.set_phone(passenger.phone);
}

Passenger FromProto(const v1::Passenger& passenger) {
  Passenger out{.name = passenger.name(),
                .gender = passenger.gender(),
                .age = std::nullopt,
                .phone = passenger.phone()};
  if (passenger.has_age()) out.age = passenger.age();
  return out;
}

void ToProto(const OrderView& order, v1::OrderView& out) {
  out.set_id(order.id);
  out.set_status(std::string(OrderStatusName(order.status)));
  out.set_org_id(order.org_id);
  out.set_trip_id(order.trip_id);
  out.set_buyer(order.buyer);
  out.set_hold_id(order.hold_id);
  out.set_from(order.from);
  out.set_to(order.to);
  out.set_departs_at_us(absl::ToUnixMicros(order.departs_at));
  for (const OrderItem& item : order.items) ItemToProto(item, *out.add_items());
  ContactToProto(order.contact, *out.mutable_contact());
  payment::ToProto(order.total, *out.mutable_total());
  out.set_expires_at_us(absl::ToUnixMicros(order.expires_at));
  out.set_booking_id(order.booking_id);
  out.set_created_at_us(absl::ToUnixMicros(order.created_at));
  out.set_updated_at_us(absl::ToUnixMicros(order.updated_at));
  for (const PaymentView& paid : order.payments) payment::ToProto(paid, *out.add_payments());
  for (const RefundView& refund : order.refunds) payment::ToProto(refund, *out.add_refunds());
  if (order.risk) RiskToProto(*order.risk, *out.mutable_risk());
}

OrderView FromProto(const v1::OrderView& order) {
  OrderView out{
      .id = order.id(),
      // Unknown on the wire: an order nothing more can be done with.
      .status = ParseName(kOrderStatusNames, order.status()).value_or(OrderStatus::kExpired),
      .org_id = order.org_id(),
      .trip_id = order.trip_id(),
      .buyer = order.buyer(),
      .hold_id = order.hold_id(),
      .from = order.from(),
      .to = order.to(),
      .departs_at = absl::FromUnixMicros(order.departs_at_us()),
      .items = {},
      .contact = ContactFromProto(order.contact()),
      .total = payment::FromProto(order.total()),
      .expires_at = absl::FromUnixMicros(order.expires_at_us()),
      .booking_id = order.booking_id(),
      .created_at = absl::FromUnixMicros(order.created_at_us()),
      .updated_at = absl::FromUnixMicros(order.updated_at_us()),
      .payments = {},
      .refunds = {}};
  for (const v1::OrderItem& item : order.items()) out.items.push_back(ItemFromProto(item));
  if (order.has_risk()) out.risk = RiskFromProto(order.risk());
  for (const payment::v1::PaymentView& paid : order.payments()) {
    out.payments.push_back(payment::FromProto(paid));
  }
  for (const payment::v1::RefundView& refund : order.refunds()) {
    out.refunds.push_back(payment::FromProto(refund));
  }
  return out;
}

void ToProto(const OrderPage& page, v1::OrderPage& out) {
  for (const OrderView& order : page.items) ToProto(order, *out.add_items());
  out.set_next_cursor(page.next_cursor);
}

OrderPage FromProto(const v1::OrderPage& page) {
  OrderPage out{.items = {}, .next_cursor = page.next_cursor()};
  for (const v1::OrderView& order : page.items()) out.items.push_back(FromProto(order));
  return out;
}

void ToProto(const PayResult& result, v1::PayResult& out) {
  payment::ToProto(result.payment, *out.mutable_payment());
  ToProto(result.order, *out.mutable_order());
}

PayResult FromProto(const v1::PayResult& result) {
  return PayResult{.payment = payment::FromProto(result.payment()),
                   .order = FromProto(result.order())};
}

void ToProto(const CancelQuote& quote, v1::CancelQuote& out) {
  out.set_quote_id(quote.quote_id);
  out.set_order_id(quote.order_id);
  for (const std::string& seat : quote.seats) out.add_seats(seat);
  payment::ToProto(quote.refund, *out.mutable_refund());
  payment::ToProto(quote.fee, *out.mutable_fee());
  out.set_tier(quote.tier);
  out.set_percent(quote.percent);
  out.set_expires_at_us(absl::ToUnixMicros(quote.expires_at));
}

CancelQuote FromProto(const v1::CancelQuote& quote) {
  return CancelQuote{.quote_id = quote.quote_id(),
                     .order_id = quote.order_id(),
                     .seats = Strings(quote.seats()),
                     .refund = payment::FromProto(quote.refund()),
                     .fee = payment::FromProto(quote.fee()),
                     .tier = quote.tier(),
                     .percent = quote.percent(),
                     .expires_at = absl::FromUnixMicros(quote.expires_at_us())};
}

void ToProto(const std::vector<SalesTotal>& totals, v1::SalesTotals& out) {
  for (const SalesTotal& total : totals) {
    v1::SalesTotal& one = *out.add_totals();
    one.set_currency(total.currency);
    one.set_orders(total.orders);
    one.set_amount(total.amount);
  }
}

std::vector<SalesTotal> FromProto(const v1::SalesTotals& totals) {
  std::vector<SalesTotal> out;
  for (const v1::SalesTotal& one : totals.totals()) {
    out.push_back({.currency = one.currency(), .orders = one.orders(), .amount = one.amount()});
  }
  return out;
}

void ToProto(const std::vector<ManifestLine>& lines, v1::ManifestLines& out) {
  for (const ManifestLine& line : lines) LineToProto(line, *out.add_lines());
}

std::vector<ManifestLine> FromProto(const v1::ManifestLines& lines) {
  std::vector<ManifestLine> out;
  out.reserve(lines.lines_size());
  for (const v1::ManifestLine& line : lines.lines()) out.push_back(LineFromProto(line));
  return out;
}

void ToProto(const CreateOrderCommand& command, v1::CreateOrderRequest& out) {
  out.set_buyer(command.buyer);
  out.set_hold_id(command.hold_id);
  for (const auto& [seat, passenger] : command.passengers) {
    v1::SeatPassenger* added = out.add_passengers();
    added->set_seat(seat);
    ToProto(passenger, *added->mutable_passenger());
  }
  ContactToProto(command.contact, *out.mutable_contact());
  out.set_request_key(command.request_key);
}

CreateOrderCommand FromProto(const v1::CreateOrderRequest& request) {
  CreateOrderCommand out{.buyer = request.buyer(),
                         .hold_id = request.hold_id(),
                         .passengers = {},
                         .contact = ContactFromProto(request.contact()),
                         .request_key = request.request_key()};
  for (const v1::SeatPassenger& passenger : request.passengers()) {
    out.passengers.emplace_back(passenger.seat(), FromProto(passenger.passenger()));
  }
  return out;
}

void ToProto(const PayCommand& command, v1::PayRequest& out) {
  out.set_buyer(command.buyer);
  out.set_order_id(command.order_id);
  payment::ToProto(command.card, *out.mutable_card());
  out.set_method(command.method);
  out.set_client_address(command.client_address);
  out.set_collected_by(command.collected_by);
  out.set_request_key(command.request_key);
}

PayCommand FromProto(const v1::PayRequest& request) {
  return PayCommand{.buyer = request.buyer(),
                    .order_id = request.order_id(),
                    .method = request.method().empty() ? "card" : request.method(),
                    .card = payment::FromProto(request.card()),
                    .client_address = request.client_address(),
                    .collected_by = request.collected_by(),
                    .request_key = request.request_key()};
}

void ToProto(const RefundPolicy& policy, v1::RefundPolicy& out) {
  for (const RefundTier& tier : policy.tiers) {
    v1::RefundTier* added = out.add_tiers();
    added->set_notice_minutes(absl::ToInt64Minutes(tier.notice));
    added->set_percent(tier.percent);
  }
}

RefundPolicy FromProto(const v1::RefundPolicy& policy) {
  RefundPolicy out;
  out.tiers.reserve(policy.tiers_size());
  for (const v1::RefundTier& tier : policy.tiers()) {
    out.tiers.push_back({absl::Minutes(tier.notice_minutes()), tier.percent()});
  }
  return out;
}

void ToProto(const RefundPolicyView& view, v1::RefundPolicyView& out) {
  ToProto(view.policy, *out.mutable_policy());
  out.set_is_default(view.is_default);
}

RefundPolicyView FromProto(const v1::RefundPolicyView& view) {
  return RefundPolicyView{.policy = FromProto(view.policy()), .is_default = view.is_default()};
}

}  // namespace travio::order
