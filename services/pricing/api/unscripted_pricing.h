#pragma once

// For tests of pricing's callers: a PricingClient that answers every call "not scripted", so a
// fake overrides only the calls its test makes.

#include <string>
#include <vector>

#include "services/pricing/api/pricing_client.h"

namespace travio::pricing {

class UnscriptedPricing : public PricingClient {
 public:
  absl::StatusOr<PriceResult> PriceSeats(const PriceRequest&) override { return NotScripted(); }
  absl::StatusOr<std::vector<PriceResult>> PriceMany(const std::vector<PriceRequest>&) override {
    return NotScripted();
  }
  absl::StatusOr<PricingRule> CreateRule(const std::string&, const RuleDraft&) override {
    return NotScripted();
  }
  absl::StatusOr<PricingRule> GetRule(const std::string&, const std::string&) override {
    return NotScripted();
  }
  absl::StatusOr<std::vector<PricingRule>> ListRules(const std::string&) override {
    return NotScripted();
  }
  absl::StatusOr<PricingRule> UpdateRule(const std::string&, const std::string&,
                                         const RuleDraft&) override {
    return NotScripted();
  }
  absl::Status DeleteRule(const std::string&, const std::string&) override { return NotScripted(); }
  absl::StatusOr<EvaluationResult> Evaluate(const std::string&, const EvaluationRequest&) override {
    return NotScripted();
  }

 private:
  static absl::Status NotScripted() { return absl::UnimplementedError("not scripted"); }
};

}  // namespace travio::pricing
