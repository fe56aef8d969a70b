#pragma once

// The events the payment service publishes (platform/events/contract.h): a payment moving from
// one state to the next, announced once per move. The order service wakes the saga waiting
// for a redirect payment when it is authorized, fails or is voided.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "platform/events/contract.h"
#include "services/payment/domain/payment_status.h"

namespace travio::payment {

/// A payment as it is after the move (payment_client.h's PaymentView, in brief).
struct PaymentChanged {
  std::string payment_id;
  std::string order_id;
  PaymentStatus status = PaymentStatus::kPending;  // the state it moved to
  int64_t amount = 0;
  std::string currency;
  int64_t refunded = 0;          // minor units refunded so far
  std::string failure_code;      // when it failed
  std::string payer;             // the buyer's subject
  std::string card_fingerprint;  // the card's keyed hash; empty for redirect payments
  bool operator==(const PaymentChanged&) const = default;
};

std::string EncodePaymentChanged(const PaymentChanged& payment);
absl::StatusOr<PaymentChanged> DecodePaymentChanged(std::string_view payload);

inline constexpr events::Contract<PaymentChanged> kPaymentAuthorized{
    "payment.authorized.v1", &EncodePaymentChanged, &DecodePaymentChanged};
inline constexpr events::Contract<PaymentChanged> kPaymentCaptured{
    "payment.captured.v1", &EncodePaymentChanged, &DecodePaymentChanged};
inline constexpr events::Contract<PaymentChanged> kPaymentFailed{
    "payment.failed.v1", &EncodePaymentChanged, &DecodePaymentChanged};
inline constexpr events::Contract<PaymentChanged> kPaymentVoided{
    "payment.voided.v1", &EncodePaymentChanged, &DecodePaymentChanged};
/// The event announcing a move to `status` (authorized, captured, failed, voided); null for a
/// status no PaymentChanged event announces (pending; refunds are RefundMade).
const events::Contract<PaymentChanged>* ContractForStatus(PaymentStatus status);

/// payment.refunded.v1: money went back on a captured payment.
struct RefundMade {
  std::string refund_id;
  std::string payment_id;
  std::string order_id;
  int64_t amount = 0;
  std::string currency;
  std::string reason;  // cancelled, trip_cancelled
  bool operator==(const RefundMade&) const = default;
};

std::string EncodeRefundMade(const RefundMade& refund);
absl::StatusOr<RefundMade> DecodeRefundMade(std::string_view payload);

inline constexpr events::Contract<RefundMade> kPaymentRefunded{
    "payment.refunded.v1", &EncodeRefundMade, &DecodeRefundMade};

}  // namespace travio::payment
