#include <grpcpp/grpcpp.h>

#include "platform/rpc/call_policy.h"
#include "platform/rpc/unary.h"
#include "services/reporting/api/proto_conversions.h"
#include "services/reporting/api/reporting_client.h"
#include "travio/reporting/v1/reporting_service.grpc.pb.h"

namespace travio::reporting {
namespace {

using Stub = v1::ReportingService::Stub;

class GrpcReportingClient final : public ReportingClient {
 public:
  GrpcReportingClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<RevenueReport> Revenue(const RevenueQuery& query) override {
    v1::RevenueQuery request;
    ToProto(query, request);
    return rpc_.Query(&Stub::Revenue, request);
  }
  absl::StatusOr<OccupancyReport> Occupancy(const OccupancyQuery& query) override {
    v1::OccupancyQuery request;
    ToProto(query, request);
    return rpc_.Query(&Stub::Occupancy, request);
  }
  absl::StatusOr<BookingsPage> Bookings(const BookingsQuery& query) override {
    v1::BookingsQuery request;
    ToProto(query, request);
    return rpc_.Query(&Stub::Bookings, request);
  }

 private:
  rpc::UnaryClient<v1::ReportingService> rpc_;
};

}  // namespace

std::shared_ptr<ReportingClient> ReportingClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                           const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcReportingClient>(std::move(channel), policy);
}

}  // namespace travio::reporting
