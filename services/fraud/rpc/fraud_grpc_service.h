#pragma once

#include <memory>

#include "services/fraud/api/fraud_client.h"
#include "travio/fraud/v1/fraud_service.grpc.pb.h"

namespace travio::fraud {

/// Serves FraudService over gRPC by translating to the local implementation.
class FraudGrpcService final : public v1::FraudService::Service {
 public:
  explicit FraudGrpcService(std::shared_ptr<FraudClient> local) : local_(std::move(local)) {}

  grpc::Status Assess(grpc::ServerContext*, const v1::AssessRequest* request,
                      v1::Assessment* reply) override;
  grpc::Status GetSettings(grpc::ServerContext*, const v1::SettingsRef* request,
                           v1::Settings* reply) override;
  grpc::Status PutSettings(grpc::ServerContext*, const v1::PutSettingsRequest* request,
                           v1::Settings* reply) override;

 private:
  std::shared_ptr<FraudClient> local_;
};

}  // namespace travio::fraud
