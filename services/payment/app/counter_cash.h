#pragma once

#include <string>

#include "services/payment/app/provider.h"

namespace travio::payment {

/// Cash taken at an operator's counter, as a provider: the agent holds the money before the
/// payment is asked for, so it always authorizes, captures, voids and refunds (the agent hands
/// the cash back), and nothing settles through a provider's report: reconciliation leaves it
/// to the operator's till. Stateless: Travio's payment record is the only book, and the payment
/// service keeps refunds within what was taken. Card and redirect calls are refused.
class CounterCash final : public PaymentProvider {
 public:
  static constexpr char kName[] = "counter";
  /// The method travellers never choose: staff record it for an order (api.md's counter sales).
  static constexpr char kMethod[] = "cash";

  const std::string& name() const override { return name_; }
  absl::StatusOr<ProviderCharge> Authorize(const std::string& key, int64_t amount,
                                           const std::string& currency,
                                           const std::optional<Card>& card) override;
  absl::StatusOr<ProviderCharge> StartRedirect(const std::string& key, int64_t amount,
                                               const std::string& currency) override;
  absl::StatusOr<ProviderCharge> Capture(const std::string& reference) override;
  absl::StatusOr<ProviderCharge> Void(const std::string& reference) override;
  absl::StatusOr<ProviderRefund> Refund(const std::string& reference, int64_t amount,
                                        const std::string& key) override;
  absl::StatusOr<std::string> VerifiedWebhookKey(const std::string& signature,
                                                 const std::string& body) override;
  absl::StatusOr<std::vector<SettlementLine>> Settlement(absl::Time from, absl::Time to) override;

 private:
  const std::string name_ = kName;
};

}  // namespace travio::payment
