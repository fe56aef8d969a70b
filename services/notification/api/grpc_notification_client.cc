#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/notification/api/notification_client.h"
#include "travio/notification/v1/notification_service.grpc.pb.h"

namespace travio::notification {
namespace {

class GrpcNotificationClient final : public NotificationClient {
 public:
  GrpcNotificationClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::NotificationService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<std::string> SendEmail(const EmailMessage& message) override {
    grpc::ClientContext context;
    rpc::PrepareCall(context, deadline_);
    v1::SendEmailRequest request;
    request.set_to(message.to);
    request.set_subject(message.subject);
    request.set_text_body(message.text_body);
    request.set_kind(message.kind);
    v1::SendEmailResponse reply;
    const grpc::Status status = stub_->SendEmail(&context, request, &reply);
    if (!status.ok()) return rpc::FromGrpcStatus(status);
    return reply.message_id();
  }

 private:
  std::unique_ptr<v1::NotificationService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<NotificationClient> MakeGrpcNotificationClient(
    std::shared_ptr<grpc::Channel> channel, absl::Duration deadline) {
  return std::make_shared<GrpcNotificationClient>(std::move(channel), deadline);
}

}  // namespace travio::notification
