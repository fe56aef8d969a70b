#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "services/fraud/domain/assessment.h"
#include "services/fraud/domain/risk_settings.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::fraud {

/// One order about to be captured, as the booking saga describes it: its payment is authorized
/// and its seats are booked.
struct AssessRequest {
  std::string org_id;
  std::string order_id;
  std::string trip_id;
  std::string buyer;             // the subject: a user id or "guest:<id>"
  std::string email;             // the order's contact
  std::string client_address;    // where the payment request came from; empty when unknown
  std::string card_fingerprint;  // empty for a redirect payment
  std::string from;              // the journey's station codes
  std::string to;
  int seats = 0;
  int capacity = 0;  // seats on the trip; 0 when unknown
  Money total;
  /// How long the caller waits for the answer (a gRPC call's deadline); its fallback decides
  /// after that.
  absl::Duration within = absl::Seconds(1);
};

/// The fraud service as the order service and the gateway call it: in-process in the monolith,
/// over gRPC otherwise. Errors: kInvalidArgument `invalid_fraud_settings` (field errors).
class FraudClient {
 public:
  static constexpr std::string_view kService = "fraud";
  static std::shared_ptr<FraudClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                               const rpc::CallPolicy& policy);

  virtual ~FraudClient() = default;

  /// The decision on one order. Counting is once per order: asking again about the same order
  /// (a resumed saga) measures it again without counting it twice.
  virtual absl::StatusOr<Assessment> Assess(const AssessRequest& request) = 0;
  /// The organization's settings (DefaultRiskSettings until it changes them).
  virtual absl::StatusOr<RiskSettings> GetSettings(const std::string& org_id) = 0;
  /// Replaces the organization's settings for assessments from now on; returns them.
  virtual absl::StatusOr<RiskSettings> PutSettings(const std::string& org_id,
                                                   const RiskSettings& settings) = 0;
};

}  // namespace travio::fraud
