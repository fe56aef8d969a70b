#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "services/payment/api/payment_client.h"
#include "services/payment/rpc/conversions.h"
#include "travio/payment/v1/payment_service.grpc.pb.h"

namespace travio::payment {
namespace {

using Stub = v1::PaymentService::Stub;

class GrpcPaymentClient final : public PaymentClient {
 public:
  GrpcPaymentClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::PaymentService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<PaymentView> Authorize(const AuthorizeCommand& command) override {
    v1::AuthorizeRequest request;
    ToProto(command, request);
    return CallAndConvert(&Stub::Authorize, request);
  }

  absl::StatusOr<PaymentView> Capture(const std::string& payment_id) override {
    return CallAndConvert(&Stub::Capture, Payment(payment_id));
  }

  absl::StatusOr<PaymentView> Void(const std::string& payment_id) override {
    return CallAndConvert(&Stub::Void, Payment(payment_id));
  }

  absl::StatusOr<RefundView> Refund(const std::string& payment_id, int64_t amount,
                                    const std::string& key, const std::string& reason) override {
    v1::RefundRequest request;
    request.set_payment_id(payment_id);
    request.set_amount(amount);
    request.set_key(key);
    request.set_reason(reason);
    return CallAndConvert(&Stub::Refund, request);
  }

  absl::StatusOr<PaymentView> GetPayment(const std::string& payment_id) override {
    return CallAndConvert(&Stub::GetPayment, Payment(payment_id));
  }

  absl::StatusOr<std::vector<PaymentView>> PaymentsOfOrder(const std::string& order_id) override {
    return CallAndConvert(&Stub::PaymentsOfOrder, Order(order_id));
  }

  absl::StatusOr<std::vector<RefundView>> RefundsOfOrder(const std::string& order_id) override {
    return CallAndConvert(&Stub::RefundsOfOrder, Order(order_id));
  }

  absl::Status HandleWebhook(const std::string& provider, const std::string& signature,
                             const std::string& body) override {
    v1::WebhookRequest request;
    request.set_provider(provider);
    request.set_signature(signature);
    request.set_body(body);
    v1::WebhookReply reply;
    return rpc::CallUnary(*stub_, &Stub::HandleWebhook, request, reply, deadline_);
  }

  absl::StatusOr<PaymentView> CompleteCheckout(const std::string& payment_id,
                                               bool approve) override {
    v1::CheckoutRequest request;
    request.set_payment_id(payment_id);
    request.set_approve(approve);
    return CallAndConvert(&Stub::CompleteCheckout, request);
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

  /// One call whose reply converts with FromProto.
  template <typename Request, typename Reply>
  auto CallAndConvert(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                      const Request& request) -> absl::StatusOr<decltype(FromProto(Reply{}))> {
    Reply reply;
    if (auto status = rpc::CallUnary(*stub_, method, request, reply, deadline_); !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  std::unique_ptr<Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<PaymentClient> MakeGrpcPaymentClient(std::shared_ptr<grpc::Channel> channel,
                                                     absl::Duration deadline) {
  return std::make_shared<GrpcPaymentClient>(std::move(channel), deadline);
}

}  // namespace travio::payment
