#pragma once

#include <memory>

#include "services/operator/api/operator_client.h"
#include "services/operator/api/proto_conversions.h"
#include "travio/fleet/v1/operator_service.grpc.pb.h"

namespace travio::fleet {

/// Serves OperatorService over gRPC by translating to the local implementation; no rules here.
class OperatorGrpcService final : public v1::OperatorService::Service {
 public:
  explicit OperatorGrpcService(std::shared_ptr<OperatorClient> local) : local_(std::move(local)) {}

  grpc::Status CreateBus(grpc::ServerContext*, const v1::CreateBusRequest* request,
                         v1::Bus* reply) override;
  grpc::Status GetBus(grpc::ServerContext*, const v1::GetBusRequest* request,
                      v1::Bus* reply) override;
  grpc::Status ListBuses(grpc::ServerContext*, const v1::ListRequest* request,
                         v1::ListBusesResponse* reply) override;
  grpc::Status UpdateBus(grpc::ServerContext*, const v1::UpdateBusRequest* request,
                         v1::Bus* reply) override;
  grpc::Status DeleteBus(grpc::ServerContext*, const v1::GetBusRequest* request,
                         v1::DeleteBusResponse* reply) override;
  grpc::Status CreateStaff(grpc::ServerContext*, const v1::CreateStaffRequest* request,
                           v1::StaffMember* reply) override;
  grpc::Status GetStaff(grpc::ServerContext*, const v1::GetStaffRequest* request,
                        v1::StaffMember* reply) override;
  grpc::Status ListStaff(grpc::ServerContext*, const v1::ListRequest* request,
                         v1::ListStaffResponse* reply) override;

 private:
  std::shared_ptr<OperatorClient> local_;
};

}  // namespace travio::fleet
