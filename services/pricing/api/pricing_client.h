#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "services/pricing/domain/pricer.h"
#include "services/pricing/domain/rule.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::pricing {

/// What to price: one trip and journey, the seats with their base fares, and the sale's state.
/// The seller (inventory for holds and quotes, search for results) fills it from what it knows.
struct PriceRequest {
  std::string org_id;
  TripFacts trip;
  JourneyFacts journey;
  int64_t occupancy = 0;
  int64_t passengers = 1;
  /// The moment to price at; now when empty.
  std::optional<absl::Time> at;
  std::string currency;
  std::vector<SeatFacts> seats;
};

struct PriceResult {
  absl::Time at;
  std::string currency;
  std::vector<SeatQuote> seats;  // in the order asked
};

/// The rule editor's trial run: an expression and the values of its variables, as JSON text
/// (api/bindings_json.h reads it: JSON integers bind as int, other numbers as double; the rule
/// variables' known fields as their types, `trip.departure` as a timestamp).
struct EvaluationRequest {
  std::string expression;
  std::string bindings_json = "{}";
};

struct EvaluationResult {
  std::string value_json;  // the value as JSON text
  std::string type;        // the CEL type name: int, double, google.protobuf.Timestamp, ...
};

/// The pricing service as other services and the gateway see it: in-process in the monolith,
/// over gRPC otherwise. Rules are scoped to one organization; another organization's rule is
/// kNotFound, exactly like one that does not exist.
/// The most trips one PriceMany call prices.
inline constexpr size_t kMaxTripsPerPriceMany = 200;
/// Evaluation steps a search priced from memory (on the gateway's I/O thread) may take over
/// all its trips (well under a millisecond); one costlier is priced on the worker pool.
inline constexpr int64_t kStepsPricedFromMemory = 10'000;

class PricingClient {
 public:
  static constexpr std::string_view kService = "pricing";
  static std::shared_ptr<PricingClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                 const rpc::CallPolicy& policy);

  virtual ~PricingClient() = default;

  /// kInvalidArgument `validation_failed` (plain fields) or `invalid_expression` (field errors
  /// with line and column); kFailedPrecondition `too_many_rules`.
  virtual absl::StatusOr<PricingRule> CreateRule(const std::string& org_id,
                                                 const RuleDraft& draft) = 0;
  /// kNotFound `rule_not_found`.
  virtual absl::StatusOr<PricingRule> GetRule(const std::string& org_id,
                                              const std::string& rule_id) = 0;
  /// The organization's rules in the order they apply.
  virtual absl::StatusOr<std::vector<PricingRule>> ListRules(const std::string& org_id) = 0;
  /// Replaces the rule's fields: a new version. Holds priced by the old one keep its price.
  virtual absl::StatusOr<PricingRule> UpdateRule(const std::string& org_id,
                                                 const std::string& rule_id,
                                                 const RuleDraft& draft) = 0;
  virtual absl::Status DeleteRule(const std::string& org_id, const std::string& rule_id) = 0;

  /// kInvalidArgument `invalid_expression` (field errors on `expression`) or
  /// `evaluation_error`; `validation_failed` for bindings that do not read.
  virtual absl::StatusOr<EvaluationResult> Evaluate(const std::string& org_id,
                                                    const EvaluationRequest& request) = 0;

  /// Each seat's price under the organization's rules in force at the request's moment.
  virtual absl::StatusOr<PriceResult> PriceSeats(const PriceRequest& request) = 0;
  /// PriceSeats for several trips in one call (a page of search results), answers in order, at
  /// most kMaxTripsPerPriceMany. The trips of one organization share one request's budget; a
  /// trip past it (or whose rules fail) shows its base fares, `refused` saying why.
  virtual absl::StatusOr<std::vector<PriceResult>> PriceMany(
      const std::vector<PriceRequest>& requests) = 0;
  /// About how many evaluation steps pricing `trips` trips of the organization would take
  /// from memory (PriceManyFromMemory), by the costliest trip priced with its rules so far;
  /// nullopt when it would not price from memory at all (rules not in memory or soon stale,
  /// never priced, or handed over last time). A forecast, for a search to decide whether it
  /// runs on the gateway's I/O thread; cheap, never waits.
  virtual std::optional<int64_t> StepsFromMemory(const std::string& /*org_id*/, int /*trips*/) {
    return std::nullopt;
  }
  /// PriceMany from memory alone (on an I/O thread): kUnavailable `would_wait` when it would
  /// read rules, take more than `max_steps` evaluation steps over all the trips, or log a rule
  /// failing; the caller then prices with PriceMany where waiting is fine.
  virtual absl::StatusOr<std::vector<PriceResult>> PriceManyFromMemory(
      const std::vector<PriceRequest>& /*requests*/, int64_t /*max_steps*/) {
    return Error(reasons::kWouldWait, "Pricing from memory is not offered here.");
  }
};

}  // namespace travio::pricing
