#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/notification/api/notification_client.h"
#include "travio/notification/v1/notification_service.grpc.pb.h"

namespace travio::notification {
namespace {

class GrpcNotificationClient final : public NotificationClient {
 public:
  GrpcNotificationClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<std::string> SendEmail(const EmailMessage& message) override {
    v1::SendEmailRequest request;
    request.set_to(message.to);
    request.set_subject(message.subject);
    request.set_text_body(message.text_body);
    request.set_kind(message.kind);
    TRAVIO_ASSIGN_OR_RETURN(v1::SendEmailResponse reply,
                            rpc_.Raw(&v1::NotificationService::Stub::SendEmail, request));
    return reply.message_id();
  }

 private:
  rpc::UnaryClient<v1::NotificationService> rpc_;
};

}  // namespace

std::shared_ptr<NotificationClient> NotificationClient::OverGrpc(
    std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcNotificationClient>(std::move(channel), policy);
}

}  // namespace travio::notification
