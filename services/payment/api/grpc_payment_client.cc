#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/payment/api/payment_client.h"
#include "services/payment/api/proto_conversions.h"
#include "travio/payment/v1/payment_service.grpc.pb.h"

namespace travio::payment {
namespace {

using Stub = v1::PaymentService::Stub;

class GrpcPaymentClient final : public PaymentClient {
 public:
  GrpcPaymentClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<PaymentView> Authorize(const AuthorizeCommand& command) override {
    v1::AuthorizeRequest request;
    ToProto(command, request);
    return rpc_.Call(&Stub::Authorize, request);
  }

  absl::StatusOr<PaymentView> Capture(const std::string& payment_id) override {
    return rpc_.Call(&Stub::Capture, Payment(payment_id));
  }

  absl::StatusOr<PaymentView> Void(const std::string& payment_id) override {
    return rpc_.Call(&Stub::Void, Payment(payment_id));
  }

  absl::StatusOr<RefundView> Refund(const std::string& payment_id, int64_t amount,
                                    const std::string& key, const std::string& reason) override {
    v1::RefundRequest request;
    request.set_payment_id(payment_id);
    request.set_amount(amount);
    request.set_key(key);
    request.set_reason(reason);
    return rpc_.Call(&Stub::Refund, request);
  }

  absl::StatusOr<PaymentView> GetPayment(const std::string& payment_id) override {
    return rpc_.Query(&Stub::GetPayment, Payment(payment_id));
  }

  absl::StatusOr<std::vector<PaymentView>> PaymentsOfOrder(const std::string& order_id) override {
    return rpc_.Query(&Stub::PaymentsOfOrder, Order(order_id));
  }

  absl::StatusOr<std::vector<RefundView>> RefundsOfOrder(const std::string& order_id) override {
    return rpc_.Query(&Stub::RefundsOfOrder, Order(order_id));
  }

  absl::StatusOr<RefundView> PayOutRefund(const std::string& org_id, const std::string& refund_id,
                                          const std::string& staff) override {
    v1::PayOutRequest request;
    request.set_org_id(org_id);
    request.set_refund_id(refund_id);
    request.set_staff(staff);
    return rpc_.Call(&Stub::PayOutRefund, request);
  }

  absl::StatusOr<std::vector<Mismatch>> MismatchesOfOrg(const std::string& org_id, absl::Time since,
                                                        int limit) override {
    v1::MismatchesRequest request;
    request.set_org_id(org_id);
    request.set_since_us(absl::ToUnixMicros(since));
    request.set_limit(limit);
    return rpc_.Query(&Stub::MismatchesOfOrg, request);
  }

  absl::Status HandleWebhook(const std::string& provider, const std::string& signature,
                             const std::string& body) override {
    v1::WebhookRequest request;
    request.set_provider(provider);
    request.set_signature(signature);
    request.set_body(body);
    return rpc_.Send(&Stub::HandleWebhook, request);
  }

  absl::StatusOr<PaymentView> GetCheckout(const std::string& payment_id,
                                          const std::string& token) override {
    v1::CheckoutRequest request;
    request.set_payment_id(payment_id);
    request.set_token(token);
    return rpc_.Query(&Stub::GetCheckout, request);
  }

  absl::StatusOr<PaymentView> CompleteCheckout(const std::string& payment_id,
                                               const std::string& token, bool approve) override {
    v1::CheckoutRequest request;
    request.set_payment_id(payment_id);
    request.set_token(token);
    request.set_approve(approve);
    return rpc_.Call(&Stub::CompleteCheckout, request);
  }

 private:
  static v1::PaymentRequest Payment(const std::string& payment_id) {
    v1::PaymentRequest request;
    request.set_payment_id(payment_id);
    return request;
  }

  static v1::OrderRequest Order(const std::string& order_id) {
    v1::OrderRequest request;
    request.set_order_id(order_id);
    return request;
  }

  rpc::UnaryClient<v1::PaymentService> rpc_;
};

}  // namespace

std::shared_ptr<PaymentClient> PaymentClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                       const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcPaymentClient>(std::move(channel), policy);
}

}  // namespace travio::payment
