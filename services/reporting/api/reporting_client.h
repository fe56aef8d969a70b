#pragma once

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/reporting/domain/report.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::reporting {

/// The reporting service as the gateway calls it: in-process in the monolith, over gRPC
/// otherwise. Every query is one organization's (the caller's, which the gateway checked) and
/// pages by the opaque cursor of the page before. The service hears of sales only through
/// events, so a report trails the orders by as long as their events take to arrive.
class ReportingClient {
 public:
  static constexpr std::string_view kService = "reporting";
  static std::shared_ptr<ReportingClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy);

  virtual ~ReportingClient() = default;

  /// kInvalidArgument `validation_failed` for a range or limit out of bounds,
  /// `invalid_cursor` for a cursor no page handed out.
  virtual absl::StatusOr<RevenueReport> Revenue(const RevenueQuery& query) = 0;
  virtual absl::StatusOr<OccupancyReport> Occupancy(const OccupancyQuery& query) = 0;
  virtual absl::StatusOr<BookingsPage> Bookings(const BookingsQuery& query) = 0;
};

}  // namespace travio::reporting
