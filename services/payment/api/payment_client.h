#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "services/payment/domain/card.h"
#include "services/payment/domain/payment_status.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::payment {

using ::travio::Money;

/// A payment as Travio records it (its states: domain/payment_status.h). A pending redirect
/// payment is completed at `redirect_url`.
struct PaymentView {
  std::string id;
  std::string order_id;
  std::string org_id;
  std::string payer;
  std::string provider;  // "sandbox"
  std::string method;    // card, redirect
  PaymentStatus status = PaymentStatus::kPending;
  Money amount;
  int64_t refunded = 0;    // minor units refunded so far
  std::string card_brand;  // "visa"
  std::string card_last4;  // "4242"
  /// A keyed hash of the card's number (never the number): the same card gives the same
  /// fingerprint in one deployment, and nothing else can be learnt from it.
  std::string card_fingerprint;
  std::string failure_code;  // payment_declined, insufficient_funds, payment_interrupted
  std::string redirect_url;  // where a pending redirect payment is completed
  absl::Time created_at;
  absl::Time updated_at;
};

/// Money sent back on a captured payment.
struct RefundView {
  std::string id;
  std::string payment_id;
  std::string order_id;
  RefundStatus status = RefundStatus::kSucceeded;
  Money amount;
  std::string reason;
  absl::Time created_at;
  /// Cash owed at the counter, once handed over: the staff member who did, and when.
  std::string paid_out_by;
  absl::Time paid_out_at = absl::InfinitePast();
};

/// A difference reconciliation found between Travio's books and the provider's settlement
/// report.
struct Mismatch {
  std::string kind;  // missing_at_provider, missing_in_travio, amount_differs
  std::string payment_id;
  std::string provider_reference;
  int64_t travio_amount = 0;
  int64_t provider_amount = 0;
  /// Of Travio's payment; empty when Travio has no record of the money (missing_in_travio).
  std::string org_id;
  std::string order_id;
  std::string currency;
  absl::Time found_at = absl::InfinitePast();
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
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "payment";
  /// The client of a remote payment service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<PaymentClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                 const rpc::CallPolicy& policy);

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
  /// A staff member of the operator hands over cash a refund owes at the counter: the refund
  /// succeeds, naming them. kNotFound `refund_not_found` (also for another operator's),
  /// kFailedPrecondition `refund_not_owed` (handed over already, or not cash).
  virtual absl::StatusOr<RefundView> PayOutRefund(const std::string& org_id,
                                                  const std::string& refund_id,
                                                  const std::string& staff) = 0;
  /// What reconciliation found on the operator's payments since `since`, newest first, at most
  /// `limit` (1 to 200). kInvalidArgument `org_required`, `invalid_limit`.
  virtual absl::StatusOr<std::vector<Mismatch>> MismatchesOfOrg(const std::string& org_id,
                                                                absl::Time since, int limit) = 0;

  /// A provider's webhook: its signature checked (kInvalidArgument `bad_signature`), then the
  /// payment it names brought up to date with the provider's own record, so a replayed or
  /// reordered delivery changes nothing twice. kNotFound `unknown_provider`.
  virtual absl::Status HandleWebhook(const std::string& provider, const std::string& signature,
                                     const std::string& body) = 0;
  /// The redirect payment behind the sandbox's hosted page, if `token` (from its
  /// `redirect_url`, made for its payer, short-lived) opens it; kNotFound `payment_not_found`
  /// otherwise, exactly as for a payment that does not exist.
  virtual absl::StatusOr<PaymentView> GetCheckout(const std::string& payment_id,
                                                  const std::string& token) = 0;
  /// The sandbox's hosted page: the traveller approves or declines a pending redirect payment
  /// (the token as for GetCheckout); the sandbox then delivers its signed webhook. A payment no
  /// longer pending is answered as it is.
  virtual absl::StatusOr<PaymentView> CompleteCheckout(const std::string& payment_id,
                                                       const std::string& token, bool approve) = 0;
};

}  // namespace travio::payment
