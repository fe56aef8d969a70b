#include "services/payment/rpc/payment_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/payment/api/proto_conversions.h"

namespace travio::payment {
namespace {

using rpc::Answer;

}  // namespace

grpc::Status PaymentGrpcService::Authorize(Context*, const v1::AuthorizeRequest* request,
                                           v1::PaymentView* reply) {
  return Answer(local_->Authorize(FromProto(*request)), reply);
}

grpc::Status PaymentGrpcService::Capture(Context*, const v1::PaymentRequest* request,
                                         v1::PaymentView* reply) {
  return Answer(local_->Capture(request->payment_id()), reply);
}

grpc::Status PaymentGrpcService::Void(Context*, const v1::PaymentRequest* request,
                                      v1::PaymentView* reply) {
  return Answer(local_->Void(request->payment_id()), reply);
}

grpc::Status PaymentGrpcService::Refund(Context*, const v1::RefundRequest* request,
                                        v1::RefundView* reply) {
  return Answer(
      local_->Refund(request->payment_id(), request->amount(), request->key(), request->reason()),
      reply);
}

grpc::Status PaymentGrpcService::GetPayment(Context*, const v1::PaymentRequest* request,
                                            v1::PaymentView* reply) {
  return Answer(local_->GetPayment(request->payment_id()), reply);
}

grpc::Status PaymentGrpcService::PaymentsOfOrder(Context*, const v1::OrderRequest* request,
                                                 v1::PaymentList* reply) {
  return Answer(local_->PaymentsOfOrder(request->order_id()), reply);
}

grpc::Status PaymentGrpcService::RefundsOfOrder(Context*, const v1::OrderRequest* request,
                                                v1::RefundList* reply) {
  return Answer(local_->RefundsOfOrder(request->order_id()), reply);
}

grpc::Status PaymentGrpcService::PayOutRefund(Context*, const v1::PayOutRequest* request,
                                              v1::RefundView* reply) {
  return Answer(local_->PayOutRefund(request->org_id(), request->refund_id(), request->staff()),
                reply);
}

grpc::Status PaymentGrpcService::MismatchesOfOrg(Context*, const v1::MismatchesRequest* request,
                                                 v1::MismatchList* reply) {
  return Answer(local_->MismatchesOfOrg(
                    request->org_id(), absl::FromUnixMicros(request->since_us()), request->limit()),
                reply);
}

grpc::Status PaymentGrpcService::HandleWebhook(Context*, const v1::WebhookRequest* request,
                                               v1::WebhookReply*) {
  return Answer(local_->HandleWebhook(request->provider(), request->signature(), request->body()));
}

grpc::Status PaymentGrpcService::GetCheckout(Context*, const v1::CheckoutRequest* request,
                                             v1::PaymentView* reply) {
  return Answer(local_->GetCheckout(request->payment_id(), request->token()), reply);
}

grpc::Status PaymentGrpcService::CompleteCheckout(Context*, const v1::CheckoutRequest* request,
                                                  v1::PaymentView* reply) {
  return Answer(
      local_->CompleteCheckout(request->payment_id(), request->token(), request->approve()), reply);
}

}  // namespace travio::payment
