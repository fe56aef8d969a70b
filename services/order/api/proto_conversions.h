#pragma once

// Order's proto messages to and from its client types: shared by the gRPC service and the gRPC
// client. Payments, refunds, money and cards use the payment service's messages.

#include "services/order/api/order_client.h"
#include "travio/order/v1/order_service.pb.h"

namespace travio::order {

/// An absent age stays absent (has_age() false).
void ToProto(const Passenger& passenger, v1::Passenger& out);
Passenger FromProto(const v1::Passenger& passenger);
void ToProto(const OrderView& order, v1::OrderView& out);
OrderView FromProto(const v1::OrderView& order);
void ToProto(const OrderPage& page, v1::OrderPage& out);
OrderPage FromProto(const v1::OrderPage& page);
void ToProto(const PayResult& result, v1::PayResult& out);
PayResult FromProto(const v1::PayResult& result);
void ToProto(const CancelQuote& quote, v1::CancelQuote& out);
CancelQuote FromProto(const v1::CancelQuote& quote);
void ToProto(const std::vector<ManifestLine>& lines, v1::ManifestLines& out);
std::vector<ManifestLine> FromProto(const v1::ManifestLines& lines);
void ToProto(const std::vector<SalesTotal>& totals, v1::SalesTotals& out);
std::vector<SalesTotal> FromProto(const v1::SalesTotals& totals);
void ToProto(const CreateOrderCommand& command, v1::CreateOrderRequest& out);
CreateOrderCommand FromProto(const v1::CreateOrderRequest& request);
void ToProto(const PayCommand& command, v1::PayRequest& out);
PayCommand FromProto(const v1::PayRequest& request);
/// Notices travel in whole minutes (ValidateRefundPolicy keeps them so).
void ToProto(const RefundPolicy& policy, v1::RefundPolicy& out);
RefundPolicy FromProto(const v1::RefundPolicy& policy);
void ToProto(const RefundPolicyView& view, v1::RefundPolicyView& out);
RefundPolicyView FromProto(const v1::RefundPolicyView& view);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::order::FromProto;
}  // namespace v1

}  // namespace travio::order
