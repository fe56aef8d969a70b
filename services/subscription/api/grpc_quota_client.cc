#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/subscription/api/quota_client.h"
#include "travio/subscription/v1/subscription_service.grpc.pb.h"

namespace travio::subscription {
namespace {

class GrpcQuotaClient final : public QuotaClient {
 public:
  GrpcQuotaClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::Status CheckQuota(const QuotaCheck& check) override {
    v1::CheckQuotaRequest request;
    request.set_org_id(check.org_id);
    request.set_resource(check.resource);
    request.set_in_use(check.in_use);
    request.set_adding(check.adding);
    return rpc_.Send(&v1::SubscriptionService::Stub::CheckQuota, request);
  }

 private:
  rpc::UnaryClient<v1::SubscriptionService> rpc_;
};

}  // namespace

std::shared_ptr<QuotaClient> QuotaClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcQuotaClient>(std::move(channel), policy);
}

}  // namespace travio::subscription
