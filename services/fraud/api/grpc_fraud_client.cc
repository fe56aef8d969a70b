#include <grpcpp/grpcpp.h>

#include <algorithm>

#include "platform/rpc/call_policy.h"
#include "platform/rpc/unary.h"
#include "services/fraud/api/fraud_client.h"
#include "services/fraud/api/proto_conversions.h"
#include "travio/fraud/v1/fraud_service.grpc.pb.h"

namespace travio::fraud {
namespace {

using Stub = v1::FraudService::Stub;

class GrpcFraudClient final : public FraudClient {
 public:
  GrpcFraudClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : channel_(channel), policy_(policy), rpc_(std::move(channel), policy) {}

  absl::StatusOr<Assessment> Assess(const AssessRequest& assessment) override {
    v1::AssessRequest request;
    ToProto(assessment, request);
    // The caller's own deadline, when shorter than every call's: past it, its fallback decides.
    rpc::CallPolicy policy = policy_;
    policy.deadline = std::min(policy.deadline, assessment.within);
    // Asked once: retrying would multiply the caller's deadline, and its fallback decides.
    return rpc::UnaryClient<v1::FraudService>(channel_, policy).Call(&Stub::Assess, request);
  }
  absl::StatusOr<RiskSettings> GetSettings(const std::string& org_id) override {
    v1::SettingsRef request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::GetSettings, request);
  }
  absl::StatusOr<RiskSettings> PutSettings(const std::string& org_id,
                                           const RiskSettings& settings) override {
    v1::PutSettingsRequest request;
    request.set_org_id(org_id);
    v1::Settings wire;
    ToProto(settings, wire);
    request.set_json(wire.json());
    return rpc_.Call(&Stub::PutSettings, request);
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  rpc::CallPolicy policy_;
  rpc::UnaryClient<v1::FraudService> rpc_;
};

}  // namespace

std::shared_ptr<FraudClient> FraudClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcFraudClient>(std::move(channel), policy);
}

}  // namespace travio::fraud
