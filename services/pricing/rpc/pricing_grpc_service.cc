#include "services/pricing/rpc/pricing_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/pricing/api/proto_conversions.h"

namespace travio::pricing {

using rpc::Answer;

grpc::Status PricingGrpcService::CreateRule(grpc::ServerContext*,
                                            const v1::CreateRuleRequest* request, v1::Rule* reply) {
  return Answer(local_->CreateRule(request->org_id(), FromProto(request->draft())), reply);
}

grpc::Status PricingGrpcService::GetRule(grpc::ServerContext*, const v1::RuleRef* request,
                                         v1::Rule* reply) {
  return Answer(local_->GetRule(request->org_id(), request->rule_id()), reply);
}

grpc::Status PricingGrpcService::ListRules(grpc::ServerContext*,
                                           const v1::ListRulesRequest* request,
                                           v1::RuleList* reply) {
  return Answer(local_->ListRules(request->org_id()), reply);
}

grpc::Status PricingGrpcService::UpdateRule(grpc::ServerContext*,
                                            const v1::UpdateRuleRequest* request, v1::Rule* reply) {
  return Answer(
      local_->UpdateRule(request->org_id(), request->rule_id(), FromProto(request->draft())),
      reply);
}

grpc::Status PricingGrpcService::DeleteRule(grpc::ServerContext*, const v1::RuleRef* request,
                                            v1::Empty*) {
  return Answer(local_->DeleteRule(request->org_id(), request->rule_id()));
}

grpc::Status PricingGrpcService::Evaluate(grpc::ServerContext*, const v1::EvaluateRequest* request,
                                          v1::EvaluateResponse* reply) {
  return Answer(local_->Evaluate(request->org_id(), EvaluationRequest{request->expression(),
                                                                      request->bindings_json()}),
                reply);
}

grpc::Status PricingGrpcService::PriceSeats(grpc::ServerContext*,
                                            const v1::PriceSeatsRequest* request,
                                            v1::PriceSeatsResponse* reply) {
  return Answer(local_->PriceSeats(FromProto(*request)), reply);
}

grpc::Status PricingGrpcService::PriceMany(grpc::ServerContext*,
                                           const v1::PriceManyRequest* request,
                                           v1::PriceManyResponse* reply) {
  std::vector<PriceRequest> requests;
  requests.reserve(static_cast<size_t>(request->requests_size()));
  for (const v1::PriceSeatsRequest& wire : request->requests()) requests.push_back(FromProto(wire));
  return Answer(local_->PriceMany(requests), reply);
}

}  // namespace travio::pricing
