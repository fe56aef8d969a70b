#pragma once

#include <memory>

#include "services/pricing/api/pricing_client.h"
#include "travio/pricing/v1/pricing_service.grpc.pb.h"

namespace travio::pricing {

/// Serves PricingService over gRPC by translating to the local implementation.
class PricingGrpcService final : public v1::PricingService::Service {
 public:
  explicit PricingGrpcService(std::shared_ptr<PricingClient> local) : local_(std::move(local)) {}

  grpc::Status CreateRule(grpc::ServerContext*, const v1::CreateRuleRequest* request,
                          v1::Rule* reply) override;
  grpc::Status GetRule(grpc::ServerContext*, const v1::RuleRef* request, v1::Rule* reply) override;
  grpc::Status ListRules(grpc::ServerContext*, const v1::ListRulesRequest* request,
                         v1::RuleList* reply) override;
  grpc::Status UpdateRule(grpc::ServerContext*, const v1::UpdateRuleRequest* request,
                          v1::Rule* reply) override;
  grpc::Status DeleteRule(grpc::ServerContext*, const v1::RuleRef* request,
                          v1::Empty* reply) override;
  grpc::Status Evaluate(grpc::ServerContext*, const v1::EvaluateRequest* request,
                        v1::EvaluateResponse* reply) override;
  grpc::Status PriceSeats(grpc::ServerContext*, const v1::PriceSeatsRequest* request,
                          v1::PriceSeatsResponse* reply) override;
  grpc::Status PriceMany(grpc::ServerContext*, const v1::PriceManyRequest* request,
                         v1::PriceManyResponse* reply) override;

 private:
  std::shared_ptr<PricingClient> local_;
};

}  // namespace travio::pricing
