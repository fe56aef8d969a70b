#include "services/fraud/api/proto_conversions.h"

#include "platform/base/errors.h"
#include "services/fraud/api/risk_settings_json.h"

namespace travio::fraud {

void ToProto(const AssessRequest& request, v1::AssessRequest& out) {
  out.set_org_id(request.org_id);
  out.set_order_id(request.order_id);
  out.set_trip_id(request.trip_id);
  out.set_buyer(request.buyer);
  out.set_email(request.email);
  out.set_client_address(request.client_address);
  out.set_card_fingerprint(request.card_fingerprint);
  out.set_from(request.from);
  out.set_to(request.to);
  out.set_seats(request.seats);
  out.set_capacity(request.capacity);
  out.set_total_amount(request.total.amount);
  out.set_currency(request.total.currency);
}

AssessRequest FromProto(const v1::AssessRequest& in) {
  return AssessRequest{.org_id = in.org_id(),
                       .order_id = in.order_id(),
                       .trip_id = in.trip_id(),
                       .buyer = in.buyer(),
                       .email = in.email(),
                       .client_address = in.client_address(),
                       .card_fingerprint = in.card_fingerprint(),
                       .from = in.from(),
                       .to = in.to(),
                       .seats = in.seats(),
                       .capacity = in.capacity(),
                       .total = {in.total_amount(), in.currency()}};
}

void ToProto(const Assessment& assessment, v1::Assessment& out) {
  out.set_decision(std::string(DecisionName(assessment.decision)));
  out.set_score(assessment.score);
  for (const RiskReason& reason : assessment.reasons) {
    v1::Reason& wire = *out.add_reasons();
    wire.set_signal(reason.signal);
    wire.set_weight(reason.weight);
    wire.set_detail(reason.detail);
  }
  out.set_review_for_seconds(absl::ToInt64Seconds(assessment.review_for));
}

absl::StatusOr<Assessment> FromProto(const v1::Assessment& in) {
  const std::optional<Decision> decision = ParseName(kDecisionNames, in.decision());
  if (!decision) return absl::InternalError("the fraud service answered an unknown decision");
  Assessment out;
  out.decision = *decision;
  out.score = in.score();
  for (const v1::Reason& reason : in.reasons()) {
    out.reasons.push_back(
        {.signal = reason.signal(), .weight = reason.weight(), .detail = reason.detail()});
  }
  out.review_for = absl::Seconds(in.review_for_seconds());
  return out;
}

void ToProto(const RiskSettings& settings, v1::Settings& out) {
  out.set_json(RiskSettingsJson(settings).dump());
}

absl::StatusOr<RiskSettings> FromProto(const v1::Settings& in) {
  const nlohmann::json document = nlohmann::json::parse(in.json(), nullptr, false);
  return ApplyRiskSettingsJson(document, DefaultRiskSettings());
}

}  // namespace travio::fraud
