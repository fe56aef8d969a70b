#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}

namespace travio::subscription {

/// What a plan limits.
inline constexpr char kBuses[] = "buses";
inline constexpr char kUpcomingTrips[] = "upcoming_trips";

struct QuotaCheck {
  std::string org_id;
  std::string resource;  // kBuses or kUpcomingTrips
  int64_t in_use = 0;    // counted by the service that owns the resource
  int64_t adding = 1;
};

/// The quota seam: services that create billable resources (buses, trips) ask before they
/// create. In-process in the monolith, over gRPC otherwise.
class QuotaClient {
 public:
  virtual ~QuotaClient() = default;
  /// OK when the organization's plan allows `adding` more; kResourceExhausted
  /// `quota_exceeded` when it does not.
  virtual absl::Status CheckQuota(const QuotaCheck& check) = 0;
};

std::shared_ptr<QuotaClient> MakeGrpcQuotaClient(std::shared_ptr<grpc::Channel> channel,
                                                 absl::Duration deadline);

}  // namespace travio::subscription
