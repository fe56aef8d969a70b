#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
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
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "subscription";
  /// The client of a remote subscription service, over a gRPC channel (mutual TLS, from the
  /// runtime), every call under `policy` (deadline, circuit breaker, retried reads)
  /// (api/grpc_*_client.cc).
  static std::shared_ptr<QuotaClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                               const rpc::CallPolicy& policy);

  virtual ~QuotaClient() = default;
  /// OK when the organization's plan allows `adding` more; kResourceExhausted
  /// `quota_exceeded` when it does not.
  virtual absl::Status CheckQuota(const QuotaCheck& check) = 0;
};

}  // namespace travio::subscription
