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
                               .kind = request->kind()});
  if (!id.ok()) return Answer(id.status());
  reply->set_message_id(*std::move(id));
  return grpc::Status::OK;
}

}  // namespace travio::notification
