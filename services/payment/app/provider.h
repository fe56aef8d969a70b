#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/payment/domain/card.h"

namespace travio::payment {

/// A charge as the provider keeps it. Status: pending (a redirect payment the traveller has not
/// finished on the provider's page), authorized, declined, captured, voided.
struct ProviderCharge {
  std::string reference;  // the provider's id of the charge
  std::string key;        // the idempotency key Travio sent (its payment id)
  std::string status;
  std::string decline_code;  // payment_declined, insufficient_funds
  int64_t amount = 0;
  std::string currency;
  int64_t refunded = 0;
  absl::Time updated_at;
};

struct ProviderRefund {
  std::string reference;
  std::string charge_reference;
  std::string key;
  int64_t amount = 0;
  absl::Time created_at;
};

/// One line of the provider's settlement report: money it moved on a day.
struct SettlementLine {
  std::string reference;  // the charge's for a capture, the refund's for a refund
  std::string key;        // Travio's payment id (captures) or refund key (refunds)
  std::string kind;       // capture, refund
  int64_t amount = 0;
  std::string currency;
};

/// A payment provider (the sandbox; bKash, SSLCommerz, ... later). Every call is idempotent by
/// Travio's key, as real providers' idempotency keys are, so a caller that crashed may ask
/// again. kUnavailable when the provider cannot be reached.
class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual const std::string& name() const = 0;

  /// Reserves money on the card; the charge a key already made is answered again without the
  /// card. kNotFound when `card` is absent and the key was never seen.
  virtual absl::StatusOr<ProviderCharge> Authorize(const std::string& key, int64_t amount,
                                                   const std::string& currency,
                                                   const std::optional<Card>& card) = 0;
  /// Opens a redirect payment (a hosted page, as Bangladesh's wallets and gateways work): the
  /// charge stays pending until the traveller decides there; the provider then sends a signed
  /// webhook. Idempotent by key.
  virtual absl::StatusOr<ProviderCharge> StartRedirect(const std::string& key, int64_t amount,
                                                       const std::string& currency) = 0;
  virtual absl::StatusOr<ProviderCharge> Capture(const std::string& reference) = 0;
  /// Gives back an authorization, or abandons a pending redirect payment.
  virtual absl::StatusOr<ProviderCharge> Void(const std::string& reference) = 0;
  virtual absl::StatusOr<ProviderRefund> Refund(const std::string& reference, int64_t amount,
                                                const std::string& key) = 0;
  /// Checks a webhook's signature and returns the key of the charge it is about. Webhooks are
  /// only notifications: the caller then asks for the charge itself (Authorize without a card),
  /// so replayed and reordered deliveries cannot move a payment backwards.
  /// kInvalidArgument `bad_signature`.
  virtual absl::StatusOr<std::string> VerifiedWebhookKey(const std::string& signature,
                                                         const std::string& body) = 0;

  /// Captures and refunds settled between `from` (inclusive) and `to`.
  virtual absl::StatusOr<std::vector<SettlementLine>> Settlement(absl::Time from,
                                                                 absl::Time to) = 0;
};

/// A signed webhook as a provider sends it.
struct ProviderWebhook {
  std::string body;
  std::string signature;
};

/// The provider's own hosted page, where a traveller approves or declines a redirect payment.
/// Only the sandbox has one inside Travio; a real provider's page is on its own site.
class HostedCheckout {
 public:
  virtual ~HostedCheckout() = default;
  /// Records the traveller's decision on a pending charge and returns the webhook announcing
  /// it. kFailedPrecondition `invalid_charge_state` when the charge is no longer pending.
  virtual absl::StatusOr<ProviderWebhook> Decide(const std::string& reference, bool approve) = 0;

  /// A token binding the hosted page of `payment_id` to its `payer` until `expires`: the page
  /// opens only with it, so knowing a payment's id is not enough to approve or decline it.
  virtual std::string CheckoutToken(const std::string& payment_id, const std::string& payer,
                                    absl::Time expires) const = 0;
  /// Whether `token` is a CheckoutToken of `payment_id` and `payer`, still valid at `now`.
  virtual bool CheckoutTokenValid(std::string_view token, const std::string& payment_id,
                                  const std::string& payer, absl::Time now) const = 0;
};

}  // namespace travio::payment
