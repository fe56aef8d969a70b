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
    request.set_locale(message.locale);
    for (const auto& [name, value] : message.fields) (*request.mutable_fields())[name] = value;
    TRAVIO_ASSIGN_OR_RETURN(v1::SendEmailResponse reply,
                            rpc_.Raw(&v1::NotificationService::Stub::SendEmail, request));
    return reply.message_id();
  }

  absl::StatusOr<NoticeReceipt> Notify(const Notice& notice) override {
    v1::NotifyRequest request;
    request.set_key(notice.key);
    request.set_kind(notice.kind);
    request.set_locale(notice.locale);
    request.set_email(notice.email);
    request.set_phone(notice.phone);
    request.set_data(notice.data);
    request.set_org_id(notice.org_id);
    for (const Attachment& attachment : notice.attachments) {
      v1::Attachment& wire = *request.add_attachments();
      wire.set_filename(attachment.filename);
      wire.set_content_type(attachment.content_type);
      wire.set_bytes(attachment.bytes);
    }
    // Safe to repeat: the key makes a second call return the first one's messages.
    TRAVIO_ASSIGN_OR_RETURN(v1::NotifyResponse reply,
                            rpc_.QueryRaw(&v1::NotificationService::Stub::Notify, request));
    return NoticeReceipt{.message_ids = {reply.message_ids().begin(), reply.message_ids().end()},
                         .duplicate = reply.duplicate()};
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
