#pragma once

#include <memory>

#include "services/notification/api/notification_client.h"
#include "travio/notification/v1/notification_service.grpc.pb.h"

namespace travio::notification {

/// Serves NotificationService over gRPC by translating to the local implementation; no rules
/// here.
class NotificationGrpcService final : public v1::NotificationService::Service {
 public:
  explicit NotificationGrpcService(std::shared_ptr<NotificationClient> local)
      : local_(std::move(local)) {}

  grpc::Status SendEmail(grpc::ServerContext* context, const v1::SendEmailRequest* request,
                         v1::SendEmailResponse* reply) override;
  grpc::Status Notify(grpc::ServerContext*, const v1::NotifyRequest* request,
                      v1::NotifyResponse* reply) override;

 private:
  std::shared_ptr<NotificationClient> local_;
};

}  // namespace travio::notification
