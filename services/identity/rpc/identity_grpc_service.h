#pragma once

#include <memory>

#include "services/identity/api/identity_client.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {

/// Serves IdentityService over gRPC by translating to the local implementation; no rules here.
class IdentityGrpcService final : public v1::IdentityService::Service {
 public:
  explicit IdentityGrpcService(std::shared_ptr<IdentityClient> local) : local_(std::move(local)) {}

  grpc::Status GetServerInfo(grpc::ServerContext* context, const v1::GetServerInfoRequest* request,
                             v1::ServerInfo* reply) override;

 private:
  std::shared_ptr<IdentityClient> local_;
};

}  // namespace travio::identity
