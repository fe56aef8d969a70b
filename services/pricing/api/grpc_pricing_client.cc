#include <grpcpp/grpcpp.h>

#include "platform/rpc/unary.h"
#include "services/pricing/api/pricing_client.h"
#include "services/pricing/api/proto_conversions.h"
#include "travio/pricing/v1/pricing_service.grpc.pb.h"

namespace travio::pricing {
namespace {

using Stub = v1::PricingService::Stub;

class GrpcPricingClient final : public PricingClient {
 public:
  GrpcPricingClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<PricingRule> CreateRule(const std::string& org_id,
                                         const RuleDraft& draft) override {
    v1::CreateRuleRequest request;
    request.set_org_id(org_id);
    ToProto(draft, *request.mutable_draft());
    return rpc_.Call(&Stub::CreateRule, request);
  }
  absl::StatusOr<PricingRule> GetRule(const std::string& org_id,
                                      const std::string& rule_id) override {
    return rpc_.Query(&Stub::GetRule, Ref(org_id, rule_id));
  }
  absl::StatusOr<std::vector<PricingRule>> ListRules(const std::string& org_id) override {
    v1::ListRulesRequest request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::ListRules, request);
  }
  absl::StatusOr<PricingRule> UpdateRule(const std::string& org_id, const std::string& rule_id,
                                         const RuleDraft& draft) override {
    v1::UpdateRuleRequest request;
    request.set_org_id(org_id);
    request.set_rule_id(rule_id);
    ToProto(draft, *request.mutable_draft());
    return rpc_.Call(&Stub::UpdateRule, request);
  }
  absl::Status DeleteRule(const std::string& org_id, const std::string& rule_id) override {
    return rpc_.Send(&Stub::DeleteRule, Ref(org_id, rule_id));
  }
  absl::StatusOr<EvaluationResult> Evaluate(const std::string& org_id,
                                            const EvaluationRequest& evaluation) override {
    v1::EvaluateRequest request;
    request.set_org_id(org_id);
    request.set_expression(evaluation.expression);
    request.set_bindings_json(evaluation.bindings_json);
    return rpc_.Query(&Stub::Evaluate, request);
  }
  absl::StatusOr<PriceResult> PriceSeats(const PriceRequest& price) override {
    v1::PriceSeatsRequest request;
    ToProto(price, request);
    // Pricing changes nothing, so an unreachable peer may be asked again.
    return rpc_.Query(&Stub::PriceSeats, request);
  }
  absl::StatusOr<std::vector<PriceResult>> PriceMany(
      const std::vector<PriceRequest>& prices) override {
    v1::PriceManyRequest request;
    for (const PriceRequest& price : prices) ToProto(price, *request.add_requests());
    return rpc_.Query(&Stub::PriceMany, request);
  }

 private:
  static v1::RuleRef Ref(const std::string& org_id, const std::string& rule_id) {
    v1::RuleRef ref;
    ref.set_org_id(org_id);
    ref.set_rule_id(rule_id);
    return ref;
  }

  rpc::UnaryClient<v1::PricingService> rpc_;
};

}  // namespace

std::shared_ptr<PricingClient> PricingClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                       const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcPricingClient>(std::move(channel), policy);
}

}  // namespace travio::pricing
