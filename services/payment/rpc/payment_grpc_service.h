#pragma once

#include <memory>

#include "services/payment/api/payment_client.h"
#include "travio/payment/v1/payment_service.grpc.pb.h"

namespace travio::payment {

/// Serves PaymentService over gRPC by translating to the local implementation; no rules here.
class PaymentGrpcService final : public v1::PaymentService::Service {
 public:
  explicit PaymentGrpcService(std::shared_ptr<PaymentClient> local) : local_(std::move(local)) {}

  using Context = grpc::ServerContext;
  grpc::Status Authorize(Context*, const v1::AuthorizeRequest*, v1::PaymentView*) override;
  grpc::Status Capture(Context*, const v1::PaymentRequest*, v1::PaymentView*) override;
  grpc::Status Void(Context*, const v1::PaymentRequest*, v1::PaymentView*) override;
  grpc::Status Refund(Context*, const v1::RefundRequest*, v1::RefundView*) override;
  grpc::Status GetPayment(Context*, const v1::PaymentRequest*, v1::PaymentView*) override;
  grpc::Status PaymentsOfOrder(Context*, const v1::OrderRequest*, v1::PaymentList*) override;
  grpc::Status RefundsOfOrder(Context*, const v1::OrderRequest*, v1::RefundList*) override;
  grpc::Status PayOutRefund(Context*, const v1::PayOutRequest*, v1::RefundView*) override;
  grpc::Status MismatchesOfOrg(Context*, const v1::MismatchesRequest*, v1::MismatchList*) override;
  grpc::Status HandleWebhook(Context*, const v1::WebhookRequest*, v1::WebhookReply*) override;
  grpc::Status GetCheckout(Context*, const v1::CheckoutRequest*, v1::PaymentView*) override;
  grpc::Status CompleteCheckout(Context*, const v1::CheckoutRequest*, v1::PaymentView*) override;

 private:
  std::shared_ptr<PaymentClient> local_;
};

}  // namespace travio::payment
