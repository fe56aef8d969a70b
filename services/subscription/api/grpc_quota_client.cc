#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/subscription/api/quota_client.h"
#include "travio/subscription/v1/subscription_service.grpc.pb.h"

namespace travio::subscription {
namespace {

class GrpcQuotaClient final : public QuotaClient {
 public:
  GrpcQuotaClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::SubscriptionService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::Status CheckQuota(const QuotaCheck& check) override {
    v1::CheckQuotaRequest request;
    request.set_org_id(check.org_id);
    request.set_resource(check.resource);
    request.set_in_use(check.in_use);
    request.set_adding(check.adding);
    v1::CheckQuotaResponse reply;
    return rpc::CallUnary(*stub_, &v1::SubscriptionService::Stub::CheckQuota, request, reply,
                          deadline_);
  }

 private:
  std::unique_ptr<v1::SubscriptionService::Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<QuotaClient> MakeGrpcQuotaClient(std::shared_ptr<grpc::Channel> channel,
                                                 absl::Duration deadline) {
  return std::make_shared<GrpcQuotaClient>(std::move(channel), deadline);
}

}  // namespace travio::subscription
