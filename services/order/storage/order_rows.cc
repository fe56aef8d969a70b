#include "services/order/storage/order_rows.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace travio::order {
namespace {

using nlohmann::json;

template <typename Enum, size_t N>
absl::StatusOr<Enum> Named(const EnumName<Enum> (&names)[N], const std::string& text,
                           const char* what) {
  const std::optional<Enum> value = ParseName(names, text);
  if (!value) return absl::DataLossError(absl::StrCat("a stored ", what, " is not known: ", text));
  return *value;
}

}  // namespace

std::string TiersJson(const RefundPolicy& policy) {
  json tiers = json::array();
  for (const RefundTier& tier : policy.tiers) {
    tiers.push_back(
        {{"notice_minutes", absl::ToInt64Minutes(tier.notice)}, {"percent", tier.percent}});
  }
  return tiers.dump();
}

absl::StatusOr<RefundPolicy> ParseTiers(const std::string& text) {
  RefundPolicy policy;
  try {
    const json tiers = json::parse(text);
    if (!tiers.is_array()) return absl::DataLossError("a stored refund policy is not a list");
    for (const json& tier : tiers) {
      policy.tiers.push_back(
          {absl::Minutes(tier.at("notice_minutes").get<int64_t>()), tier.at("percent").get<int>()});
    }
  } catch (const json::exception&) {
    return absl::DataLossError("a stored refund policy does not parse");
  }
  return policy;
}

std::string RiskJson(const std::optional<OrderRisk>& risk) {
  if (!risk) return "";
  json reasons = json::array();
  for (const fraud::RiskReason& reason : risk->assessment.reasons) {
    reasons.push_back(
        {{"signal", reason.signal}, {"weight", reason.weight}, {"detail", reason.detail}});
  }
  return json{{"decision", fraud::DecisionName(risk->assessment.decision)},
              {"score", risk->assessment.score},
              {"reasons", std::move(reasons)},
              {"review_for_s", absl::ToInt64Seconds(risk->assessment.review_for)},
              {"fallback", risk->assessment.fallback},
              {"review_deadline", Micros(risk->review_deadline)},
              {"verdict", risk->verdict},
              {"reviewer", risk->reviewer},
              {"reviewed_at", Micros(risk->reviewed_at)}}
      .dump();
}

absl::StatusOr<std::optional<OrderRisk>> ParseRisk(const std::string& text) {
  if (text.empty()) return std::nullopt;
  OrderRisk risk;
  try {
    const json in = json::parse(text);
    absl::StatusOr<fraud::Decision> decision =
        Named(fraud::kDecisionNames, in.at("decision").get<std::string>(), "risk decision");
    if (!decision.ok()) return decision.status();
    risk.assessment.decision = *decision;
    risk.assessment.score = in.at("score").get<int>();
    for (const json& reason : in.at("reasons")) {
      risk.assessment.reasons.push_back({.signal = reason.at("signal").get<std::string>(),
                                         .weight = reason.at("weight").get<int>(),
                                         .detail = reason.at("detail").get<std::string>()});
    }
    risk.assessment.review_for = absl::Seconds(in.at("review_for_s").get<int64_t>());
    risk.assessment.fallback = in.at("fallback").get<bool>();
    risk.review_deadline = FromMicros(in.at("review_deadline").get<int64_t>());
    risk.verdict = in.at("verdict").get<std::string>();
    risk.reviewer = in.at("reviewer").get<std::string>();
    risk.reviewed_at = FromMicros(in.at("reviewed_at").get<int64_t>());
  } catch (const json::exception&) {
    return absl::DataLossError("a stored risk decision does not parse");
  }
  return risk;
}

absl::StatusOr<OrderRecord> ReadOrder(const db::Row& row) {
  OrderRecord record;
  OrderView& view = record.view;
  view.id = row.Text(0);
  view.org_id = row.Text(1);
  view.trip_id = row.Text(2);
  view.buyer = row.Text(3);
  view.hold_id = row.Text(4);
  record.hold_version = row.Int(5);
  view.from = row.Text(6);
  view.to = row.Text(7);
  view.departs_at = FromMicros(row.Int(8));
  absl::StatusOr<OrderStatus> status = Named(kOrderStatusNames, row.Text(9), "order status");
  if (!status.ok()) return status.status();
  view.status = *status;
  view.total = {row.Int(10), row.Text(11)};
  view.contact = {row.Text(12), row.Text(13), row.Text(21).empty() ? "en" : row.Text(21)};
  view.expires_at = FromMicros(row.Int(14));
  view.booking_id = row.Text(15);
  record.payment_id = row.Text(16);
  view.created_at = FromMicros(row.Int(17));
  view.updated_at = FromMicros(row.Int(18));
  record.version = row.Int(19);
  if (!row.Text(20).empty()) {
    absl::StatusOr<RefundPolicy> policy = ParseTiers(row.Text(20));
    if (!policy.ok()) return policy.status();
    record.refund_policy = *std::move(policy);
  }
  absl::StatusOr<std::optional<OrderRisk>> risk = ParseRisk(row.Text(22));
  if (!risk.ok()) return risk.status();
  view.risk = *std::move(risk);
  record.request_key = row.Text(23);
  return record;
}

std::vector<db::Value> OrderValues(const OrderRecord& order) {
  const OrderView& view = order.view;
  return {view.id,
          view.org_id,
          view.trip_id,
          view.buyer,
          view.hold_id,
          order.hold_version,
          view.from,
          view.to,
          Micros(view.departs_at),
          std::string(OrderStatusName(view.status)),
          view.total.amount,
          view.total.currency,
          view.contact.email,
          view.contact.phone,
          Micros(view.expires_at),
          view.booking_id,
          order.payment_id,
          Micros(view.created_at),
          Micros(view.updated_at),
          order.version,
          order.refund_policy ? TiersJson(*order.refund_policy) : std::string(),
          view.contact.locale,
          RiskJson(view.risk),
          order.request_key};
}

absl::StatusOr<OrderItem> ReadItem(const db::Row& row) {
  absl::StatusOr<ItemStatus> status = Named(kItemStatusNames, row.Text(7), "seat status");
  if (!status.ok()) return status.status();
  OrderItem item{.seat = row.Text(0),
                 .passenger = {.name = row.Text(1),
                               .gender = row.Text(2),
                               .age = std::nullopt,
                               .phone = row.Text(4)},
                 .price = {row.Int(5), row.Text(6)},
                 .status = *status};
  if (!row.IsNull(3)) item.passenger.age = static_cast<int>(row.Int(3));
  return item;
}

absl::StatusOr<SagaRecord> ReadSaga(const db::Row& row) {
  absl::StatusOr<SagaKind> kind = Named(kSagaKindNames, row.Text(2), "saga kind");
  absl::StatusOr<SagaStatus> status = Named(kSagaStatusNames, row.Text(3), "saga status");
  absl::StatusOr<SagaStep> step = Named(kSagaStepNames, row.Text(4), "saga step");
  if (!kind.ok()) return kind.status();
  if (!status.ok()) return status.status();
  if (!step.ok()) return step.status();
  return SagaRecord{.id = row.Text(0),
                    .order_id = row.Text(1),
                    .kind = *kind,
                    .status = *status,
                    .step = *step,
                    .payment_id = row.Text(5),
                    .booking_id = row.Text(6),
                    .quote_id = row.Text(7),
                    .failure_code = row.Text(8),
                    .attempts = static_cast<int>(row.Int(9)),
                    .lease_owner = row.Text(10),
                    .lease_until = FromMicros(row.Int(11)),
                    .resume_at = FromMicros(row.Int(12)),
                    .created_at = FromMicros(row.Int(13)),
                    .updated_at = FromMicros(row.Int(14)),
                    .client_address = row.Text(15),
                    .card_declined = row.Int(16) != 0,
                    .trace_id = row.Text(17),
                    .request_key = row.Text(18)};
}

std::vector<db::Value> SagaValues(const SagaRecord& saga) {
  return {saga.id,
          saga.order_id,
          std::string(NameOf(kSagaKindNames, saga.kind)),
          std::string(NameOf(kSagaStatusNames, saga.status)),
          std::string(SagaStepName(saga.step)),
          saga.payment_id,
          saga.booking_id,
          saga.quote_id,
          saga.failure_code,
          int64_t{saga.attempts},
          saga.lease_owner,
          Micros(saga.lease_until),
          Micros(saga.resume_at),
          Micros(saga.created_at),
          Micros(saga.updated_at),
          saga.client_address,
          int64_t{saga.card_declined ? 1 : 0},
          saga.trace_id,
          saga.request_key};
}

absl::StatusOr<QuoteRecord> ReadQuote(const db::Row& row) {
  QuoteRecord record;
  record.quote.quote_id = row.Text(0);
  record.quote.order_id = row.Text(1);
  record.buyer = row.Text(2);
  try {
    record.quote.seats = json::parse(row.Text(3)).get<std::vector<std::string>>();
  } catch (const json::exception&) {
    return absl::DataLossError("a stored quote does not parse");
  }
  record.quote.refund = {row.Int(4), row.Text(6)};
  record.quote.fee = {row.Int(5), row.Text(6)};
  record.quote.percent = static_cast<int>(row.Int(7));
  record.quote.tier = row.Text(8);
  record.quote.expires_at = FromMicros(row.Int(9));
  record.created_at = FromMicros(row.Int(10));
  record.order_version = row.Int(11);
  return record;
}

std::vector<db::Value> QuoteValues(const QuoteRecord& record) {
  const CancelQuote& quote = record.quote;
  return {quote.quote_id,
          quote.order_id,
          record.buyer,
          json(quote.seats).dump(),
          quote.refund.amount,
          quote.fee.amount,
          quote.refund.currency,
          int64_t{quote.percent},
          quote.tier,
          Micros(quote.expires_at),
          Micros(record.created_at),
          record.order_version};
}

}  // namespace travio::order
