#include "services/fraud/rpc/fraud_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/fraud/api/proto_conversions.h"

namespace travio::fraud {

using rpc::Answer;

grpc::Status FraudGrpcService::Assess(grpc::ServerContext*, const v1::AssessRequest* request,
                                      v1::Assessment* reply) {
  return Answer(local_->Assess(FromProto(*request)), reply);
}

grpc::Status FraudGrpcService::GetSettings(grpc::ServerContext*, const v1::SettingsRef* request,
                                           v1::Settings* reply) {
  return Answer(local_->GetSettings(request->org_id()), reply);
}

grpc::Status FraudGrpcService::PutSettings(grpc::ServerContext*,
                                           const v1::PutSettingsRequest* request,
                                           v1::Settings* reply) {
  v1::Settings wire;
  wire.set_json(request->json());
  absl::StatusOr<RiskSettings> settings = FromProto(wire);
  if (!settings.ok()) return Answer(settings.status());
  return Answer(local_->PutSettings(request->org_id(), *settings), reply);
}

}  // namespace travio::fraud
