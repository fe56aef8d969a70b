#include "services/order/api/order_events.h"

#include <nlohmann/json.hpp>

#include "platform/base/rfc3339.h"
#include "platform/events/json_payload.h"

namespace travio::order {
namespace {

using events::InvalidPayload;
using events::ReadJsonPayload;
using nlohmann::json;

std::string Text(const json& in, const char* key) { return in.at(key).get<std::string>(); }
std::vector<std::string> Seats(const json& in) {
  return in.at("seats").get<std::vector<std::string>>();
}

}  // namespace

std::string EncodeOrderCreated(const OrderCreated& event) {
  return json{{"order_id", event.order_id},
              {"buyer", event.buyer},
              {"trip_id", event.trip_id},
              {"hold_id", event.hold_id},
              {"seats", event.seats},
              {"amount", event.total.amount},
              {"currency", event.total.currency},
              {"expires_at", FormatRfc3339(event.expires_at)}}
      .dump();
}

absl::StatusOr<OrderCreated> DecodeOrderCreated(std::string_view payload) {
  return ReadJsonPayload<OrderCreated>(
      "order", payload, [](const json& in) -> absl::StatusOr<OrderCreated> {
        absl::StatusOr<absl::Time> expires = ParseRfc3339(Text(in, "expires_at"));
        if (!expires.ok()) return InvalidPayload("order", "expires_at is not an instant");
        return OrderCreated{.order_id = Text(in, "order_id"),
                            .buyer = Text(in, "buyer"),
                            .trip_id = Text(in, "trip_id"),
                            .hold_id = Text(in, "hold_id"),
                            .seats = Seats(in),
                            .total = {in.at("amount").get<int64_t>(), Text(in, "currency")},
                            .expires_at = *expires};
      });
}

std::string EncodeOrderConfirmed(const OrderConfirmed& event) {
  return json{{"order_id", event.order_id},
              {"trip_id", event.trip_id},
              {"booking_id", event.booking_id},
              {"payment_id", event.payment_id},
              {"seats", event.seats},
              {"from", event.from},
              {"to", event.to},
              {"amount", event.total.amount},
              {"currency", event.total.currency},
              {"email", event.email}}
      .dump();
}

absl::StatusOr<OrderConfirmed> DecodeOrderConfirmed(std::string_view payload) {
  return ReadJsonPayload<OrderConfirmed>(
      "order", payload, [](const json& in) -> absl::StatusOr<OrderConfirmed> {
        return OrderConfirmed{.order_id = Text(in, "order_id"),
                              .trip_id = Text(in, "trip_id"),
                              .booking_id = Text(in, "booking_id"),
                              .payment_id = Text(in, "payment_id"),
                              .seats = Seats(in),
                              .from = Text(in, "from"),
                              .to = Text(in, "to"),
                              .total = {in.at("amount").get<int64_t>(), Text(in, "currency")},
                              .email = Text(in, "email")};
      });
}

std::string EncodeOrderExpired(const OrderExpired& event) {
  return json{{"order_id", event.order_id}, {"reason", event.reason}}.dump();
}

absl::StatusOr<OrderExpired> DecodeOrderExpired(std::string_view payload) {
  return ReadJsonPayload<OrderExpired>("order", payload, [](const json& in) {
    return absl::StatusOr<OrderExpired>(
        OrderExpired{.order_id = Text(in, "order_id"), .reason = Text(in, "reason")});
  });
}

std::string EncodeOrderCancelled(const OrderCancelled& event) {
  return json{{"order_id", event.order_id},
              {"trip_id", event.trip_id},
              {"seats", event.seats},
              {"status", OrderStatusName(event.status)},
              {"refund", event.refund.amount},
              {"currency", event.refund.currency},
              {"tier", event.tier}}
      .dump();
}

absl::StatusOr<OrderCancelled> DecodeOrderCancelled(std::string_view payload) {
  return ReadJsonPayload<OrderCancelled>(
      "order", payload, [](const json& in) -> absl::StatusOr<OrderCancelled> {
        const auto status = ParseName(kOrderStatusNames, Text(in, "status"));
        if (!status) return InvalidPayload("order", "unknown status");
        return OrderCancelled{.order_id = Text(in, "order_id"),
                              .trip_id = Text(in, "trip_id"),
                              .seats = Seats(in),
                              .status = *status,
                              .refund = {in.at("refund").get<int64_t>(), Text(in, "currency")},
                              .tier = Text(in, "tier")};
      });
}

std::string EncodeOrderRiskChanged(const OrderRiskChanged& event) {
  return json{{"order_id", event.order_id}, {"decision", event.decision},
              {"score", event.score},       {"signals", event.signals},
              {"fallback", event.fallback}, {"verdict", event.verdict},
              {"reviewer", event.reviewer}}
      .dump();
}

absl::StatusOr<OrderRiskChanged> DecodeOrderRiskChanged(std::string_view payload) {
  return ReadJsonPayload<OrderRiskChanged>("order", payload, [](const json& in) {
    return absl::StatusOr<OrderRiskChanged>(
        OrderRiskChanged{.order_id = Text(in, "order_id"),
                         .decision = Text(in, "decision"),
                         .score = in.at("score").get<int>(),
                         .signals = in.at("signals").get<std::vector<std::string>>(),
                         .fallback = in.value("fallback", false),
                         .verdict = in.value("verdict", ""),
                         .reviewer = in.value("reviewer", "")});
  });
}

OrderRiskChanged RiskChangedOf(const OrderView& order) {
  const OrderRisk& risk = *order.risk;
  OrderRiskChanged event{.order_id = order.id,
                         .decision = std::string(fraud::DecisionName(risk.assessment.decision)),
                         .score = risk.assessment.score,
                         .signals = {},
                         .fallback = risk.assessment.fallback,
                         .verdict = risk.verdict,
                         .reviewer = risk.reviewer};
  for (const fraud::RiskReason& reason : risk.assessment.reasons) {
    event.signals.push_back(reason.signal);
  }
  return event;
}

}  // namespace travio::order
