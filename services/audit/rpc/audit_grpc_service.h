#pragma once

#include <memory>

#include "services/audit/api/audit_client.h"
#include "travio/audit/v1/audit_service.grpc.pb.h"

namespace travio::audit {

/// Serves AuditService over gRPC by translating to the local implementation.
class AuditGrpcService final : public v1::AuditService::Service {
 public:
  explicit AuditGrpcService(std::shared_ptr<AuditClient> local) : local_(std::move(local)) {}

  grpc::Status Record(grpc::ServerContext*, const v1::Fact* request, v1::Recorded* reply) override;
  grpc::Status List(grpc::ServerContext*, const v1::Query* request, v1::Page* reply) override;
  grpc::Status Verify(grpc::ServerContext*, const v1::LogRef* request,
                      v1::Verification* reply) override;
  grpc::Status VerificationKeys(grpc::ServerContext*, const v1::KeysRequest* request,
                                v1::Keys* reply) override;

 private:
  std::shared_ptr<AuditClient> local_;
};

}  // namespace travio::audit
