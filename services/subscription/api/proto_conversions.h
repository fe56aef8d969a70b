#pragma once

// The subscription service's wire conversions, shared by the gRPC client and the gRPC service.

#include <vector>

#include "absl/status/statusor.h"
#include "services/subscription/api/subscription_client.h"
#include "travio/subscription/v1/subscription_service.pb.h"

namespace travio::subscription {

void ToProto(const QuotaUse& use, v1::QuotaUse& out);
absl::StatusOr<QuotaUse> FromProto(const v1::QuotaUse& in);
void ToProto(const std::vector<Plan>& plans, v1::PlanList& out);
absl::StatusOr<std::vector<Plan>> FromProto(const v1::PlanList& in);
void ToProto(const SubscriptionView& view, v1::Subscription& out);
absl::StatusOr<SubscriptionView> FromProto(const v1::Subscription& in);
void ToProto(const InvoiceView& invoice, v1::Invoice& out);
absl::StatusOr<InvoiceView> FromProto(const v1::Invoice& in);
void ToProto(const InvoicePage& page, v1::InvoiceList& out);
absl::StatusOr<InvoicePage> FromProto(const v1::InvoiceList& in);
void ToProto(const InvoiceDocument& document, v1::InvoicePdf& out);
absl::StatusOr<InvoiceDocument> FromProto(const v1::InvoicePdf& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::subscription::FromProto;
}  // namespace v1

}  // namespace travio::subscription
