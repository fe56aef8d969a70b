#pragma once

#include <memory>

#include "services/subscription/api/quota_client.h"
#include "travio/subscription/v1/subscription_service.grpc.pb.h"

namespace travio::subscription {

/// Serves SubscriptionService over gRPC by translating to the local implementation.
class SubscriptionGrpcService final : public v1::SubscriptionService::Service {
 public:
  explicit SubscriptionGrpcService(std::shared_ptr<QuotaClient> local) : local_(std::move(local)) {}

  grpc::Status CheckQuota(grpc::ServerContext* context, const v1::CheckQuotaRequest* request,
                          v1::CheckQuotaResponse* reply) override;

 private:
  std::shared_ptr<QuotaClient> local_;
};

}  // namespace travio::subscription
