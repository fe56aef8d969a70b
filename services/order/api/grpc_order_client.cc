#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/order/api/order_client.h"
#include "services/order/api/proto_conversions.h"
#include "travio/order/v1/order_service.grpc.pb.h"

namespace travio::order {
namespace {

using Stub = v1::OrderService::Stub;

class GrpcOrderClient final : public OrderClient {
 public:
  GrpcOrderClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<OrderView> CreateOrder(const CreateOrderCommand& command) override {
    v1::CreateOrderRequest request;
    ToProto(command, request);
    return rpc_.Call(&Stub::CreateOrder, request);
  }

  absl::StatusOr<OrderView> GetOrder(const std::string& order_id) override {
    v1::GetOrderRequest request;
    request.set_order_id(order_id);
    return rpc_.Query(&Stub::GetOrder, request);
  }

  absl::StatusOr<OrderPage> ListOrders(const std::string& buyer, int limit,
                                       const std::string& cursor) override {
    v1::ListOrdersRequest request;
    request.set_buyer(buyer);
    request.set_limit(limit);
    request.set_cursor(cursor);
    return rpc_.Query(&Stub::ListOrders, request);
  }

  absl::StatusOr<PayResult> Pay(const PayCommand& command) override {
    v1::PayRequest request;
    ToProto(command, request);
    return rpc_.Call(&Stub::Pay, request);
  }

  absl::StatusOr<CancelQuote> QuoteCancellation(const std::string& buyer,
                                                const std::string& order_id,
                                                const std::vector<std::string>& seats) override {
    v1::QuoteCancellationRequest request;
    request.set_buyer(buyer);
    request.set_order_id(order_id);
    for (const std::string& seat : seats) request.add_seats(seat);
    return rpc_.Call(&Stub::QuoteCancellation, request);
  }

  absl::StatusOr<OrderView> Cancel(const std::string& buyer, const std::string& order_id,
                                   const std::string& quote_id) override {
    v1::CancelRequest request;
    request.set_buyer(buyer);
    request.set_order_id(order_id);
    request.set_quote_id(quote_id);
    return rpc_.Call(&Stub::Cancel, request);
  }

  absl::StatusOr<OrderPage> OrgOrders(const OrgOrderQuery& query) override {
    v1::OrgOrdersRequest request;
    request.set_org_id(query.org_id);
    if (query.status) request.set_status(std::string(OrderStatusName(*query.status)));
    request.set_trip_id(query.trip_id);
    request.set_text(query.text);
    if (query.departs_from != absl::InfinitePast()) {
      request.set_departs_from_us(absl::ToUnixMicros(query.departs_from));
    }
    if (query.departs_until != absl::InfiniteFuture()) {
      request.set_departs_until_us(absl::ToUnixMicros(query.departs_until));
    }
    request.set_limit(query.limit);
    request.set_cursor(query.cursor);
    return rpc_.Query(&Stub::OrgOrders, request);
  }

  absl::StatusOr<std::vector<SalesTotal>> SalesSince(const std::string& org_id,
                                                     absl::Time since) override {
    v1::SalesSinceRequest request;
    request.set_org_id(org_id);
    request.set_since_us(absl::ToUnixMicros(since));
    return rpc_.Query(&Stub::SalesSince, request);
  }

  absl::StatusOr<std::vector<ManifestLine>> Manifest(const std::string& org_id,
                                                     const std::string& trip_id) override {
    v1::ManifestRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    return rpc_.Query(&Stub::Manifest, request);
  }

  absl::StatusOr<OrderPage> OrdersUnderReview(const std::string& org_id, int limit,
                                              const std::string& cursor) override {
    v1::OrdersUnderReviewRequest request;
    request.set_org_id(org_id);
    request.set_limit(limit);
    request.set_cursor(cursor);
    return rpc_.Query(&Stub::OrdersUnderReview, request);
  }

  absl::StatusOr<OrderView> DecideReview(const std::string& org_id, const std::string& order_id,
                                         bool approve, const std::string& reviewer) override {
    v1::DecideReviewRequest request;
    request.set_org_id(org_id);
    request.set_order_id(order_id);
    request.set_approve(approve);
    request.set_reviewer(reviewer);
    return rpc_.Call(&Stub::DecideReview, request);
  }

  absl::StatusOr<RefundPolicyView> GetRefundPolicy(const std::string& org_id) override {
    v1::GetRefundPolicyRequest request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::GetRefundPolicy, request);
  }

  absl::StatusOr<RefundPolicyView> SetRefundPolicy(const std::string& org_id,
                                                   const RefundPolicy& policy) override {
    v1::SetRefundPolicyRequest request;
    request.set_org_id(org_id);
    ToProto(policy, *request.mutable_policy());
    return rpc_.Call(&Stub::SetRefundPolicy, request);
  }

 private:
  rpc::UnaryClient<v1::OrderService> rpc_;
};

}  // namespace

std::shared_ptr<OrderClient> OrderClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcOrderClient>(std::move(channel), policy);
}

}  // namespace travio::order
