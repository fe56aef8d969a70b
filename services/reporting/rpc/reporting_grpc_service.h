#pragma once

#include <memory>

#include "services/reporting/api/reporting_client.h"
#include "travio/reporting/v1/reporting_service.grpc.pb.h"

namespace travio::reporting {

/// Serves ReportingService over gRPC by translating to the local implementation.
class ReportingGrpcService final : public v1::ReportingService::Service {
 public:
  explicit ReportingGrpcService(std::shared_ptr<ReportingClient> local)
      : local_(std::move(local)) {}

  grpc::Status Revenue(grpc::ServerContext*, const v1::RevenueQuery* request,
                       v1::RevenueReport* reply) override;
  grpc::Status Occupancy(grpc::ServerContext*, const v1::OccupancyQuery* request,
                         v1::OccupancyReport* reply) override;
  grpc::Status Bookings(grpc::ServerContext*, const v1::BookingsQuery* request,
                        v1::BookingsPage* reply) override;

 private:
  std::shared_ptr<ReportingClient> local_;
};

}  // namespace travio::reporting
