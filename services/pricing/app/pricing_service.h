#pragma once

#include <atomic>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/cel/program.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/pricing/api/pricing_client.h"
#include "services/pricing/app/ports.h"
#include "services/pricing/domain/rule_program.h"

namespace travio::pricing {

/// Pricing rules and seat prices. Rules are compiled when saved (a rule that does not compile
/// is refused with its line and column) and kept compiled per organization, so pricing a seat
/// only evaluates.
class PricingService final : public PricingClient {
 public:
  struct Settings {
    int64_t max_rules_per_org = 50;
    /// The highest price rules may make, in minor units; above it the base fare is used.
    int64_t price_ceiling = 10'000'000;
    /// How long an organization's compiled rules are used before they are read again. A change
    /// made through this process is seen at once; one made through another process of the
    /// pricing service within this time.
    absl::Duration rules_cache_ttl = absl::Seconds(2);
    /// Evaluation steps one request may take over all its seats and rules (beyond each
    /// evaluation's own budget): a rule set that needs more prices nothing.
    int64_t max_request_cost = 1'000'000;
    cel::Limits limits;
  };
  struct Ports {
    RuleStore& store;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
  };

  PricingService(Ports ports, Settings settings);

  absl::StatusOr<PricingRule> CreateRule(const std::string& org_id,
                                         const RuleDraft& draft) override;
  absl::StatusOr<PricingRule> GetRule(const std::string& org_id,
                                      const std::string& rule_id) override;
  absl::StatusOr<std::vector<PricingRule>> ListRules(const std::string& org_id) override;
  absl::StatusOr<PricingRule> UpdateRule(const std::string& org_id, const std::string& rule_id,
                                         const RuleDraft& draft) override;
  absl::Status DeleteRule(const std::string& org_id, const std::string& rule_id) override;
  absl::StatusOr<EvaluationResult> Evaluate(const std::string& org_id,
                                            const EvaluationRequest& request) override;
  absl::StatusOr<PriceResult> PriceSeats(const PriceRequest& request) override;
  absl::StatusOr<std::vector<PriceResult>> PriceMany(
      const std::vector<PriceRequest>& requests) override;
  /// The costliest trip priced with its cached rules so far, times `trips`; nullopt when they
  /// are not cached, in the last tenth of their time in cache, or never priced.
  std::optional<int64_t> StepsFromMemory(const std::string& org_id, int trips) override;
  /// PriceMany with cached rules only, at most `max_steps` over all the trips, and no rule
  /// failing or price refused (those are logged): else kUnavailable `would_wait`.
  absl::StatusOr<std::vector<PriceResult>> PriceManyFromMemory(
      const std::vector<PriceRequest>& requests, int64_t max_steps) override;

 private:
  struct OrgRules {
    std::vector<CompiledRule> rules;
    absl::Time loaded_at;
    // The most steps one trip took with these rules; -1 until one is priced; kFallsBack once
    // pricing from memory had to hand over (a rule failing, the steps running out).
    static constexpr int64_t kFallsBack = std::numeric_limits<int32_t>::max();
    mutable std::atomic<int64_t> costliest_trip = -1;
  };

  absl::Status CheckDraft(const RuleDraft& draft, const std::string& org_id) const;
  absl::StatusOr<std::shared_ptr<const OrgRules>> RulesOf(const std::string& org_id);
  void Forget(const std::string& org_id);
  /// The rules in cache, unless missing or stale (`would_wait`): never reads.
  absl::StatusOr<std::shared_ptr<const OrgRules>> CachedRulesOf(const std::string& org_id,
                                                                absl::Time now);
  /// Prices within `budget` steps (all the seats together), adding the steps taken to `spent`.
  /// `from_memory`: with cached rules only, and `would_wait` wherever the workers must price.
  absl::StatusOr<PriceResult> PriceWithin(const PriceRequest& request, int64_t budget,
                                          int64_t& spent, bool from_memory);
  /// PriceMany; with `memory_steps`, PriceManyFromMemory.
  absl::StatusOr<std::vector<PriceResult>> PriceManyWithin(
      const std::vector<PriceRequest>& requests, std::optional<int64_t> memory_steps);
  void Report(const PriceRequest& request, const SeatQuote& quote);

  Ports ports_;
  Settings settings_;
  const cel::Env env_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::shared_ptr<const OrgRules>> cache_ ABSL_GUARDED_BY(mutex_);
  // Bumped by every change of an organization's rules, so rules read before a change are not
  // cached after it.
  absl::flat_hash_map<std::string, uint64_t> generations_ ABSL_GUARDED_BY(mutex_);
  metrics::Family<metrics::Counter>* evaluations_ = nullptr;
};

}  // namespace travio::pricing
