#include "services/notification/rpc/notification_grpc_service.h"

#include "platform/rpc/answer.h"

namespace travio::notification {

using rpc::Answer;

grpc::Status NotificationGrpcService::SendEmail(grpc::ServerContext*,
                                                const v1::SendEmailRequest* request,
                                                v1::SendEmailResponse* reply) {
  auto id = local_->SendEmail({.to = request->to(),
                               .subject = request->subject(),
                               .text_body = request->text_body(),
                               .kind = request->kind(),
                               .locale = request->locale(),
                               .fields = {request->fields().begin(), request->fields().end()}});
  if (!id.ok()) return Answer(id.status());
  reply->set_message_id(*std::move(id));
  return grpc::Status::OK;
}

grpc::Status NotificationGrpcService::Notify(grpc::ServerContext*, const v1::NotifyRequest* request,
                                             v1::NotifyResponse* reply) {
  Notice notice{.key = request->key(),
                .kind = request->kind(),
                .locale = request->locale(),
                .email = request->email(),
                .phone = request->phone(),
                .data = request->data(),
                .attachments = {},
                .org_id = request->org_id()};
  for (const v1::Attachment& wire : request->attachments()) {
    notice.attachments.push_back(
        {.filename = wire.filename(), .content_type = wire.content_type(), .bytes = wire.bytes()});
  }
  auto receipt = local_->Notify(notice);
  if (!receipt.ok()) return Answer(receipt.status());
  for (const std::string& id : receipt->message_ids) reply->add_message_ids(id);
  reply->set_duplicate(receipt->duplicate);
  return grpc::Status::OK;
}

}  // namespace travio::notification
