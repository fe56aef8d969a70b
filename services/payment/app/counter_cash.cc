#include "services/payment/app/counter_cash.h"

#include "absl/strings/str_cat.h"

namespace travio::payment {
namespace {

constexpr char kChargePrefix[] = "cash:";
constexpr char kRefundPrefix[] = "cash-refund:";

}  // namespace

absl::StatusOr<ProviderCharge> CounterCash::Authorize(const std::string& key, int64_t amount,
                                                      const std::string& currency,
                                                      const std::optional<Card>& card) {
  if (card) return absl::InvalidArgumentError("cash is not a card");
  return ProviderCharge{.reference = absl::StrCat(kChargePrefix, key),
                        .key = key,
                        .status = "authorized",
                        .decline_code = "",
                        .amount = amount,
                        .currency = currency,
                        .refunded = 0,
                        .updated_at = absl::InfinitePast()};
}

absl::StatusOr<ProviderCharge> CounterCash::StartRedirect(const std::string&, int64_t,
                                                          const std::string&) {
  return absl::InvalidArgumentError("cash has no hosted page");
}

absl::StatusOr<ProviderCharge> CounterCash::Capture(const std::string& reference) {
  return ProviderCharge{.reference = reference, .status = "captured"};
}

absl::StatusOr<ProviderCharge> CounterCash::Void(const std::string& reference) {
  return ProviderCharge{.reference = reference, .status = "voided"};
}

absl::StatusOr<ProviderRefund> CounterCash::Refund(const std::string& reference, int64_t amount,
                                                   const std::string& key) {
  return ProviderRefund{.reference = absl::StrCat(kRefundPrefix, key),
                        .charge_reference = reference,
                        .key = key,
                        .amount = amount,
                        .created_at = absl::InfinitePast()};
}

absl::StatusOr<std::string> CounterCash::VerifiedWebhookKey(const std::string&,
                                                            const std::string&) {
  return absl::NotFoundError("the counter sends no webhooks");
}

absl::StatusOr<std::vector<SettlementLine>> CounterCash::Settlement(absl::Time, absl::Time) {
  return std::vector<SettlementLine>{};
}

}  // namespace travio::payment
