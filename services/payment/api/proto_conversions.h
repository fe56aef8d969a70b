#pragma once

// Payment's proto messages to and from its client types: shared by the gRPC service, the gRPC
// client, and the order service's conversions (orders carry payments, refunds and cards).

#include "services/payment/api/payment_client.h"
#include "travio/payment/v1/payment_service.pb.h"

namespace travio::payment {

void ToProto(const Money& money, v1::Money& out);
Money FromProto(const v1::Money& money);
void ToProto(const Card& card, v1::Card& out);
Card FromProto(const v1::Card& card);
void ToProto(const PaymentView& payment, v1::PaymentView& out);
PaymentView FromProto(const v1::PaymentView& payment);
void ToProto(const RefundView& refund, v1::RefundView& out);
RefundView FromProto(const v1::RefundView& refund);
/// An absent card stays absent (has_card() false).
void ToProto(const AuthorizeCommand& command, v1::AuthorizeRequest& out);
AuthorizeCommand FromProto(const v1::AuthorizeRequest& request);
void ToProto(const std::vector<PaymentView>& payments, v1::PaymentList& out);
std::vector<PaymentView> FromProto(const v1::PaymentList& payments);
void ToProto(const std::vector<RefundView>& refunds, v1::RefundList& out);
std::vector<RefundView> FromProto(const v1::RefundList& refunds);
void ToProto(const std::vector<Mismatch>& mismatches, v1::MismatchList& out);
std::vector<Mismatch> FromProto(const v1::MismatchList& mismatches);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::payment::FromProto;
}  // namespace v1

}  // namespace travio::payment
