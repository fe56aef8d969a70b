#include "services/order/rpc/order_grpc_service.h"

#include "platform/base/errors.h"
#include "platform/rpc/answer.h"
#include "services/order/api/proto_conversions.h"

namespace travio::order {
namespace {

using rpc::Answer;
using rpc::Strings;

}  // namespace

grpc::Status OrderGrpcService::CreateOrder(Context*, const v1::CreateOrderRequest* request,
                                           v1::OrderView* reply) {
  return Answer(local_->CreateOrder(FromProto(*request)), reply);
}

grpc::Status OrderGrpcService::GetOrder(Context*, const v1::GetOrderRequest* request,
                                        v1::OrderView* reply) {
  return Answer(local_->GetOrder(request->order_id()), reply);
}

grpc::Status OrderGrpcService::ListOrders(Context*, const v1::ListOrdersRequest* request,
                                          v1::OrderPage* reply) {
  return Answer(local_->ListOrders(request->buyer(), request->limit(), request->cursor()), reply);
}

grpc::Status OrderGrpcService::Pay(Context*, const v1::PayRequest* request, v1::PayResult* reply) {
  return Answer(local_->Pay(FromProto(*request)), reply);
}

grpc::Status OrderGrpcService::QuoteCancellation(Context*,
                                                 const v1::QuoteCancellationRequest* request,
                                                 v1::CancelQuote* reply) {
  return Answer(
      local_->QuoteCancellation(request->buyer(), request->order_id(), Strings(request->seats())),
      reply);
}

grpc::Status OrderGrpcService::Cancel(Context*, const v1::CancelRequest* request,
                                      v1::OrderView* reply) {
  return Answer(local_->Cancel(request->buyer(), request->order_id(), request->quote_id()), reply);
}

grpc::Status OrderGrpcService::OrgOrders(Context*, const v1::OrgOrdersRequest* request,
                                         v1::OrderPage* reply) {
  OrgOrderQuery query{.org_id = request->org_id(),
                      .status = std::nullopt,
                      .trip_id = request->trip_id(),
                      .text = request->text(),
                      .limit = request->limit(),
                      .cursor = request->cursor()};
  if (!request->status().empty()) {
    query.status = ParseName(kOrderStatusNames, request->status());
    if (!query.status) {
      return Answer(Error(reasons::kValidationFailed, "No such order status."));
    }
  }
  if (request->departs_from_us() != 0) {
    query.departs_from = absl::FromUnixMicros(request->departs_from_us());
  }
  if (request->departs_until_us() != 0) {
    query.departs_until = absl::FromUnixMicros(request->departs_until_us());
  }
  return Answer(local_->OrgOrders(query), reply);
}

grpc::Status OrderGrpcService::SalesSince(Context*, const v1::SalesSinceRequest* request,
                                          v1::SalesTotals* reply) {
  return Answer(local_->SalesSince(request->org_id(), absl::FromUnixMicros(request->since_us())),
                reply);
}

grpc::Status OrderGrpcService::Manifest(Context*, const v1::ManifestRequest* request,
                                        v1::ManifestLines* reply) {
  return Answer(local_->Manifest(request->org_id(), request->trip_id()), reply);
}

grpc::Status OrderGrpcService::OrdersUnderReview(Context*,
                                                 const v1::OrdersUnderReviewRequest* request,
                                                 v1::OrderPage* reply) {
  return Answer(local_->OrdersUnderReview(request->org_id(), request->limit(), request->cursor()),
                reply);
}

grpc::Status OrderGrpcService::DecideReview(Context*, const v1::DecideReviewRequest* request,
                                            v1::OrderView* reply) {
  return Answer(local_->DecideReview(request->org_id(), request->order_id(), request->approve(),
                                     request->reviewer()),
                reply);
}

grpc::Status OrderGrpcService::GetRefundPolicy(Context*, const v1::GetRefundPolicyRequest* request,
                                               v1::RefundPolicyView* reply) {
  return Answer(local_->GetRefundPolicy(request->org_id()), reply);
}

grpc::Status OrderGrpcService::SetRefundPolicy(Context*, const v1::SetRefundPolicyRequest* request,
                                               v1::RefundPolicyView* reply) {
  return Answer(local_->SetRefundPolicy(request->org_id(), FromProto(request->policy())), reply);
}

}  // namespace travio::order
