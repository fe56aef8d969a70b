#include "services/reporting/rpc/reporting_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/reporting/api/proto_conversions.h"

namespace travio::reporting {

using rpc::Answer;

grpc::Status ReportingGrpcService::Revenue(grpc::ServerContext*, const v1::RevenueQuery* request,
                                           v1::RevenueReport* reply) {
  absl::StatusOr<RevenueQuery> query = FromProto(*request);
  if (!query.ok()) return Answer(query.status());
  return Answer(local_->Revenue(*query), reply);
}

grpc::Status ReportingGrpcService::Occupancy(grpc::ServerContext*,
                                             const v1::OccupancyQuery* request,
                                             v1::OccupancyReport* reply) {
  absl::StatusOr<OccupancyQuery> query = FromProto(*request);
  if (!query.ok()) return Answer(query.status());
  return Answer(local_->Occupancy(*query), reply);
}

grpc::Status ReportingGrpcService::Bookings(grpc::ServerContext*, const v1::BookingsQuery* request,
                                            v1::BookingsPage* reply) {
  absl::StatusOr<BookingsQuery> query = FromProto(*request);
  if (!query.ok()) return Answer(query.status());
  return Answer(local_->Bookings(*query), reply);
}

}  // namespace travio::reporting
