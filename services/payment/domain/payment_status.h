#pragma once

#include <string_view>

#include "platform/base/enum_names.h"

namespace travio::payment {

/// A payment's life: `pending` (a redirect payment waiting for the traveller on the provider's
/// page), `authorized` (money reserved), `captured`, `failed` (declined or interrupted: nothing
/// reserved), `voided` (the reservation given back before capture), `partially_refunded` and
/// `refunded` (after capture).
enum class PaymentStatus {
  kPending,
  kAuthorized,
  kCaptured,
  kFailed,
  kVoided,
  kPartiallyRefunded,
  kRefunded
};
inline constexpr EnumName<PaymentStatus> kPaymentStatusNames[] = {
    {PaymentStatus::kPending, "pending"},
    {PaymentStatus::kAuthorized, "authorized"},
    {PaymentStatus::kCaptured, "captured"},
    {PaymentStatus::kFailed, "failed"},
    {PaymentStatus::kVoided, "voided"},
    {PaymentStatus::kPartiallyRefunded, "partially_refunded"},
    {PaymentStatus::kRefunded, "refunded"},
};
inline std::string_view PaymentStatusName(PaymentStatus status) {
  return NameOf(kPaymentStatusNames, status);
}

inline std::string_view StatusName(PaymentStatus status) { return PaymentStatusName(status); }

/// Money was taken: captured, and perhaps refunded in part or whole since.
inline bool Captured(PaymentStatus status) {
  return status == PaymentStatus::kCaptured || status == PaymentStatus::kPartiallyRefunded ||
         status == PaymentStatus::kRefunded;
}

/// A refund went through or was refused by the provider; cash taken at a counter is owed back
/// there until a staff member hands it over (then it succeeded).
enum class RefundStatus { kSucceeded, kFailed, kOwed };
inline constexpr EnumName<RefundStatus> kRefundStatusNames[] = {
    {RefundStatus::kSucceeded, "succeeded"},
    {RefundStatus::kFailed, "failed"},
    {RefundStatus::kOwed, "owed"},
};
inline std::string_view RefundStatusName(RefundStatus status) {
  return NameOf(kRefundStatusNames, status);
}
inline std::string_view StatusName(RefundStatus status) { return RefundStatusName(status); }

}  // namespace travio::payment
