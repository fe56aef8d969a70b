#include "services/gateway/routes/order_views.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/gateway/routes/counter_sales.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {

using identity::Permission;
using nlohmann::json;
using order::OrderClient;

json PaymentJson(const payment::PaymentView& payment) {
  json out = {{"id", payment.id},
              {"order_id", payment.order_id},
              {"status", payment::PaymentStatusName(payment.status)},
              {"amount", MoneyJson(payment.amount)},
              {"refunded", MoneyJson({payment.refunded, payment.amount.currency})},
              {"provider", payment.provider},
              {"method", {{"type", payment.method.empty() ? "card" : payment.method}}},
              {"created_at", Instant(payment.created_at)}};
  if (!payment.card_brand.empty()) {
    out["method"]["brand"] = payment.card_brand;
    out["method"]["last4"] = payment.card_last4;
  }
  if (!payment.failure_code.empty()) out["failure_code"] = payment.failure_code;
  if (!payment.redirect_url.empty()) out["redirect_url"] = payment.redirect_url;
  return out;
}

json RefundJson(const payment::RefundView& refund) {
  json out = {{"id", refund.id},
              {"payment_id", refund.payment_id},
              {"status", payment::RefundStatusName(refund.status)},
              {"amount", MoneyJson(refund.amount)},
              {"reason", refund.reason},
              {"created_at", Instant(refund.created_at)}};
  // Cash owed at a counter (status owed), once handed over.
  if (refund.paid_out_at != absl::InfinitePast()) out["paid_out_at"] = Instant(refund.paid_out_at);
  return out;
}

json PassengerJson(const order::Passenger& passenger) {
  json out = {{"name", passenger.name}, {"gender", passenger.gender}};
  if (passenger.age) out["age"] = *passenger.age;
  if (!passenger.phone.empty()) out["phone"] = passenger.phone;
  return out;
}

json OrderJson(const order::OrderView& order) {
  json items = json::array();
  json seats = json::array();
  for (const order::OrderItem& item : order.items) {
    items.push_back({{"seat", item.seat},
                     {"passenger", PassengerJson(item.passenger)},
                     {"price", MoneyJson(item.price)},
                     {"status", NameOf(order::kItemStatusNames, item.status)}});
    if (item.status == order::ItemStatus::kActive) seats.push_back(item.seat);
  }
  json payments = json::array();
  for (const payment::PaymentView& payment : order.payments)
    payments.push_back(PaymentJson(payment));
  json refunds = json::array();
  for (const payment::RefundView& refund : order.refunds) refunds.push_back(RefundJson(refund));
  json contact = {{"email", order.contact.email}};
  if (!order.contact.phone.empty()) contact["phone"] = order.contact.phone;
  contact["locale"] = order.contact.locale;
  return {{"id", order.id},
          {"status", order::OrderStatusName(order.status)},
          // Sold at an operator's counter (paid there in cash), or online.
          {"channel", IsCounterBuyer(order.buyer) ? "counter" : "online"},
          {"trip_id", order.trip_id},
          {"hold_id", order.hold_id},
          {"from", order.from},
          {"to", order.to},
          {"departs_at", Instant(order.departs_at)},
          {"seats", seats},
          {"items", items},
          {"contact", contact},
          {"total", MoneyJson(order.total)},
          {"expires_at", Instant(order.expires_at)},
          {"created_at", Instant(order.created_at)},
          {"payments", payments},
          {"refunds", refunds},
          {"tickets", json::array()}};
}

json RiskJson(const order::OrderRisk& risk) {
  json reasons = json::array();
  for (const fraud::RiskReason& reason : risk.assessment.reasons) {
    reasons.push_back(
        {{"signal", reason.signal}, {"weight", reason.weight}, {"detail", reason.detail}});
  }
  json out = {{"decision", fraud::DecisionName(risk.assessment.decision)},
              {"score", risk.assessment.score},
              {"reasons", std::move(reasons)},
              {"fallback", risk.assessment.fallback}};
  if (risk.assessment.decision == fraud::Decision::kReview) {
    out["review_deadline"] = Instant(risk.review_deadline);
    out["verdict"] = risk.verdict.empty() ? json(nullptr) : json(risk.verdict);
    if (!risk.reviewer.empty()) out["reviewed_by"] = risk.reviewer;
    if (!risk.verdict.empty()) out["reviewed_at"] = Instant(risk.reviewed_at);
  }
  return out;
}

json ReviewedOrderJson(const order::OrderView& order) {
  json out = OrderJson(order);
  out["risk"] = order.risk ? RiskJson(*order.risk) : json(nullptr);
  return out;
}

json QuoteJson(const order::CancelQuote& quote) {
  return {{"quote_id", quote.quote_id},  {"order_id", quote.order_id},
          {"seats", quote.seats},        {"refund", MoneyJson(quote.refund)},
          {"fee", MoneyJson(quote.fee)}, {"percent", quote.percent},
          {"tier", quote.tier},          {"expires_at", Instant(quote.expires_at)}};
}

// A JSON whole number clamped to [low, high]: a huge one stays out of range instead of wrapping.
int64_t ClampedInteger(const json& value, int64_t low, int64_t high) {
  if (value.is_number_unsigned()) {
    return static_cast<int64_t>(std::min<uint64_t>(value.get<uint64_t>(), high));
  }
  return std::clamp<int64_t>(value.get<int64_t>(), low, high);
}

// Notices in hours: whole ones for every policy set through this API.
json RefundPolicyJson(const order::RefundPolicyView& view) {
  json tiers = json::array();
  for (const order::RefundTier& tier : view.policy.tiers) {
    const int64_t minutes = absl::ToInt64Minutes(tier.notice);
    const json hours =
        minutes % 60 == 0 ? json(minutes / 60) : json(static_cast<double>(minutes) / 60);
    tiers.push_back({{"notice_hours", hours}, {"percent", tier.percent}});
  }
  return {{"tiers", tiers}, {"default", view.is_default}};
}

absl::StatusOr<std::vector<std::string>> CancelSeatsOf(http::Request& request) {
  auto body = JsonBody::Parse(request, /*may_be_empty=*/true);
  if (!body.ok()) return body.status();
  std::vector<std::string> seats = body->Strings("seats", 100, 8);
  if (body->Has("seats") && seats.empty()) body->AddError("seats", "name at least one seat");
  TRAVIO_RETURN_IF_ERROR(body->Finish());
  return seats;
}

absl::StatusOr<std::string> QuoteIdOf(http::Request& request) {
  auto body = JsonBody::Parse(request);
  if (!body.ok()) return body.status();
  std::string quote_id = body->Required("quote_id", 64);
  if (!quote_id.empty() && !IsUuid(quote_id)) body->AddError("quote_id", "must be a quote id");
  TRAVIO_RETURN_IF_ERROR(body->Finish());
  return quote_id;
}

nlohmann::json CancelledOrderJson(const order::OrderView& order) {
  nlohmann::json out = OrderJson(order);
  if (!order.refunds.empty()) out["refund"] = RefundJson(order.refunds.back());
  return out;
}

nlohmann::json CancelQuoteRequestSchema() {
  return ObjectSchema({{"seats", {{"type", "array"}, {"items", TextSchema(8)}}}}, {});
}

nlohmann::json CancelRequestSchema() {
  return ObjectSchema({{"quote_id", TextSchema(36)}}, {"quote_id"});
}

}  // namespace travio::gateway
