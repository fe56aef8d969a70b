#include "services/payment/api/payment_events.h"

#include <nlohmann/json.hpp>

#include "platform/events/json_payload.h"

namespace travio::payment {

using nlohmann::json;

std::string EncodePaymentChanged(const PaymentChanged& payment) {
  return json{{"payment_id", payment.payment_id},
              {"order_id", payment.order_id},
              {"status", PaymentStatusName(payment.status)},
              {"amount", payment.amount},
              {"currency", payment.currency},
              {"refunded", payment.refunded},
              {"failure_code", payment.failure_code},
              {"payer", payment.payer},
              {"card_fingerprint", payment.card_fingerprint}}
      .dump();
}

absl::StatusOr<PaymentChanged> DecodePaymentChanged(std::string_view payload) {
  return events::ReadJsonPayload<PaymentChanged>(
      "payment", payload, [](const json& in) -> absl::StatusOr<PaymentChanged> {
        const auto status = ParseName(kPaymentStatusNames, in.at("status").get<std::string>());
        if (!status) return events::InvalidPayload("payment", "unknown status");
        return PaymentChanged{.payment_id = in.at("payment_id").get<std::string>(),
                              .order_id = in.at("order_id").get<std::string>(),
                              .status = *status,
                              .amount = in.at("amount").get<int64_t>(),
                              .currency = in.at("currency").get<std::string>(),
                              .refunded = in.value("refunded", int64_t{0}),
                              .failure_code = in.value("failure_code", ""),
                              .payer = in.value("payer", ""),
                              .card_fingerprint = in.value("card_fingerprint", "")};
      });
}

const events::Contract<PaymentChanged>* ContractForStatus(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::kAuthorized:
      return &kPaymentAuthorized;
    case PaymentStatus::kCaptured:
      return &kPaymentCaptured;
    case PaymentStatus::kFailed:
      return &kPaymentFailed;
    case PaymentStatus::kVoided:
      return &kPaymentVoided;
    default:
      return nullptr;
  }
}

std::string EncodeRefundMade(const RefundMade& refund) {
  return json{{"refund_id", refund.refund_id}, {"payment_id", refund.payment_id},
              {"order_id", refund.order_id},   {"amount", refund.amount},
              {"currency", refund.currency},   {"reason", refund.reason}}
      .dump();
}

absl::StatusOr<RefundMade> DecodeRefundMade(std::string_view payload) {
  return events::ReadJsonPayload<RefundMade>(
      "refund", payload, [](const json& in) -> absl::StatusOr<RefundMade> {
        return RefundMade{.refund_id = in.at("refund_id").get<std::string>(),
                          .payment_id = in.at("payment_id").get<std::string>(),
                          .order_id = in.at("order_id").get<std::string>(),
                          .amount = in.at("amount").get<int64_t>(),
                          .currency = in.at("currency").get<std::string>(),
                          .reason = in.value("reason", "")};
      });
}

}  // namespace travio::payment
