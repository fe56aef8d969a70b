#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/payment/domain/card.h"

namespace grpc {
class Channel;
}

namespace travio::payment {

struct Money {
  int64_t amount = 0;
  std::string currency;
  bool operator==(const Money&) const = default;
};

/// A payment as Travio records it. Status: `pending` (a redirect payment waiting for the
/// traveller on the provider's page, at `redirect_url`), `authorized` (money reserved),
/// `captured`, `failed` (declined or interrupted: nothing reserved), `voided` (the reservation
/// given back before capture), `refunded` / `partially_refunded` (after capture).
struct PaymentView {
  std::string id;
  std::string order_id;
  std::string org_id;
  std::string payer;
  std::string provider;  // "sandbox"
  std::string method;    // card, redirect
  std::string status;
  Money amount;
  int64_t refunded = 0;      // minor units refunded so far
  std::string card_brand;    // "visa"
  std::string card_last4;    // "4242"
  std::string failure_code;  // payment_declined, insufficient_funds, payment_interrupted
  std::string redirect_url;  // where a pending redirect payment is completed
  absl::Time created_at;
  absl::Time updated_at;
};

/// Money sent back on a captured payment: `succeeded` or `failed`.
struct RefundView {
  std::string id;
  std::string payment_id;
  std::string order_id;
  std::string status;
  Money amount;
  std::string reason;
  absl::Time created_at;
};

struct AuthorizeCommand {
  /// The caller's key for this attempt (the order's saga): a second call with the same key
  /// returns the first call's payment and never reserves money twice.
  std::string key;
  std::string order_id;
  std::string org_id;
  std::string payer;
  Money amount;
  /// "card", or "redirect": the payment stays pending until the traveller finishes it on the
  /// provider's hosted page, whose webhook then settles it.
  std::string method = "card";
  /// The card, on the first call. A retry after a crash may come without it: the payment the
  /// key made is answered, and a key the provider never saw becomes a failed payment
  /// (`payment_interrupted`).
  std::optional<Card> card;
};

/// The payment service as the order service and the gateway call it: in-process in the
/// monolith, over gRPC otherwise. Every call is idempotent. Errors: kInvalidArgument
/// `invalid_card` (field errors), kNotFound `payment_not_found`, kFailedPrecondition
/// `invalid_payment_state` (voiding a captured payment, refunding an uncaptured one),
/// kInvalidArgument `refund_too_large`, kUnavailable when the provider cannot be reached (safe
/// to retry with the same key).
class PaymentClient {
 public:
  virtual ~PaymentClient() = default;

  /// Reserves the amount on the card. A decline is not an error: the payment comes back
  /// `failed` with its failure code.
  virtual absl::StatusOr<PaymentView> Authorize(const AuthorizeCommand& command) = 0;
  /// Takes the reserved money; a captured payment is answered as it is.
  virtual absl::StatusOr<PaymentView> Capture(const std::string& payment_id) = 0;
  /// Gives the reservation back; a voided or failed payment is answered as it is.
  virtual absl::StatusOr<PaymentView> Void(const std::string& payment_id) = 0;
  /// Sends `amount` of a captured payment back; `key` makes retries return the same refund.
  virtual absl::StatusOr<RefundView> Refund(const std::string& payment_id, int64_t amount,
                                            const std::string& key, const std::string& reason) = 0;

  virtual absl::StatusOr<PaymentView> GetPayment(const std::string& payment_id) = 0;
  /// Every payment and refund of an order, oldest first.
  virtual absl::StatusOr<std::vector<PaymentView>> PaymentsOfOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<std::vector<RefundView>> RefundsOfOrder(const std::string& order_id) = 0;

  /// A provider's webhook: its signature checked (kInvalidArgument `bad_signature`), then the
  /// payment it names brought up to date with the provider's own record, so a replayed or
  /// reordered delivery changes nothing twice. kNotFound `unknown_provider`.
  virtual absl::Status HandleWebhook(const std::string& provider, const std::string& signature,
                                     const std::string& body) = 0;
  /// The sandbox's hosted page: the traveller approves or declines a pending redirect payment;
  /// the sandbox then delivers its signed webhook. A payment no longer pending is answered as
  /// it is.
  virtual absl::StatusOr<PaymentView> CompleteCheckout(const std::string& payment_id,
                                                       bool approve) = 0;
};

/// The gRPC client of a remote payment service.
std::shared_ptr<PaymentClient> MakeGrpcPaymentClient(std::shared_ptr<grpc::Channel> channel,
                                                     absl::Duration deadline);

}  // namespace travio::payment
