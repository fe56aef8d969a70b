#pragma once

// The pricing service's wire conversions, shared by the gRPC client and the gRPC service.

#include <vector>

#include "absl/status/statusor.h"
#include "services/pricing/api/pricing_client.h"
#include "travio/pricing/v1/pricing_service.pb.h"

namespace travio::pricing {

void ToProto(const RuleDraft& draft, v1::RuleDraft& out);
RuleDraft FromProto(const v1::RuleDraft& in);
void ToProto(const PricingRule& rule, v1::Rule& out);
absl::StatusOr<PricingRule> FromProto(const v1::Rule& in);
void ToProto(const std::vector<PricingRule>& rules, v1::RuleList& out);
absl::StatusOr<std::vector<PricingRule>> FromProto(const v1::RuleList& in);
void ToProto(const EvaluationResult& result, v1::EvaluateResponse& out);
absl::StatusOr<EvaluationResult> FromProto(const v1::EvaluateResponse& in);
void ToProto(const PriceRequest& request, v1::PriceSeatsRequest& out);
PriceRequest FromProto(const v1::PriceSeatsRequest& in);
void ToProto(const SeatQuote& quote, v1::SeatQuote& out);
SeatQuote FromProto(const v1::SeatQuote& in);
void ToProto(const PriceResult& result, v1::PriceSeatsResponse& out);
absl::StatusOr<PriceResult> FromProto(const v1::PriceSeatsResponse& in);

void ToProto(const std::vector<PriceResult>& results, v1::PriceManyResponse& out);
absl::StatusOr<std::vector<PriceResult>> FromProto(const v1::PriceManyResponse& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::pricing::FromProto;
}  // namespace v1

}  // namespace travio::pricing
