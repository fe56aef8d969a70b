#pragma once

// The reporting service's wire conversions, shared by the gRPC client and the gRPC service.

#include "absl/status/statusor.h"
#include "services/reporting/api/reporting_client.h"
#include "travio/reporting/v1/reporting_service.pb.h"

namespace travio::reporting {

void ToProto(const RevenueQuery& query, v1::RevenueQuery& out);
absl::StatusOr<RevenueQuery> FromProto(const v1::RevenueQuery& in);
void ToProto(const RevenueReport& report, v1::RevenueReport& out);
absl::StatusOr<RevenueReport> FromProto(const v1::RevenueReport& in);
void ToProto(const OccupancyQuery& query, v1::OccupancyQuery& out);
absl::StatusOr<OccupancyQuery> FromProto(const v1::OccupancyQuery& in);
void ToProto(const OccupancyReport& report, v1::OccupancyReport& out);
absl::StatusOr<OccupancyReport> FromProto(const v1::OccupancyReport& in);
void ToProto(const BookingsQuery& query, v1::BookingsQuery& out);
absl::StatusOr<BookingsQuery> FromProto(const v1::BookingsQuery& in);
void ToProto(const BookingsPage& page, v1::BookingsPage& out);
absl::StatusOr<BookingsPage> FromProto(const v1::BookingsPage& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::reporting::FromProto;
}  // namespace v1

}  // namespace travio::reporting
