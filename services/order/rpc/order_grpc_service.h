#pragma once

#include <memory>

#include "services/order/api/order_client.h"
#include "travio/order/v1/order_service.grpc.pb.h"

namespace travio::order {

/// Serves OrderService over gRPC by translating to the local implementation; no rules here.
class OrderGrpcService final : public v1::OrderService::Service {
 public:
  explicit OrderGrpcService(std::shared_ptr<OrderClient> local) : local_(std::move(local)) {}

  using Context = grpc::ServerContext;
  grpc::Status CreateOrder(Context*, const v1::CreateOrderRequest*, v1::OrderView*) override;
  grpc::Status GetOrder(Context*, const v1::GetOrderRequest*, v1::OrderView*) override;
  grpc::Status ListOrders(Context*, const v1::ListOrdersRequest*, v1::OrderPage*) override;
  grpc::Status Pay(Context*, const v1::PayRequest*, v1::PayResult*) override;
  grpc::Status QuoteCancellation(Context*, const v1::QuoteCancellationRequest*,
                                 v1::CancelQuote*) override;
  grpc::Status Cancel(Context*, const v1::CancelRequest*, v1::OrderView*) override;
  grpc::Status OrgOrders(Context*, const v1::OrgOrdersRequest*, v1::OrderPage*) override;
  grpc::Status SalesSince(Context*, const v1::SalesSinceRequest*, v1::SalesTotals*) override;
  grpc::Status Manifest(Context*, const v1::ManifestRequest*, v1::ManifestLines*) override;
  grpc::Status OrdersUnderReview(Context*, const v1::OrdersUnderReviewRequest*,
                                 v1::OrderPage*) override;
  grpc::Status DecideReview(Context*, const v1::DecideReviewRequest*, v1::OrderView*) override;
  grpc::Status GetRefundPolicy(Context*, const v1::GetRefundPolicyRequest*,
                               v1::RefundPolicyView*) override;
  grpc::Status SetRefundPolicy(Context*, const v1::SetRefundPolicyRequest*,
                               v1::RefundPolicyView*) override;

 private:
  std::shared_ptr<OrderClient> local_;
};

}  // namespace travio::order
