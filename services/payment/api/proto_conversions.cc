#include "services/payment/api/proto_conversions.h"

namespace travio::payment {

void ToProto(const Money& money, v1::Money& out) {
  out.set_amount(money.amount);
  out.set_currency(money.currency);
}

Money FromProto(const v1::Money& money) { return {money.amount(), money.currency()}; }

void ToProto(const Card& card, v1::Card& out) {
  out.set_number(card.number);
  out.set_exp_month(card.exp_month);
  out.set_exp_year(card.exp_year);
  out.set_cvc(card.cvc);
}

Card FromProto(const v1::Card& card) {
  return Card{.number = card.number(),
              .exp_month = card.exp_month(),
              .exp_year = card.exp_year(),
              .cvc = card.cvc()};
}

void ToProto(const PaymentView& payment, v1::PaymentView& out) {
  out.set_id(payment.id);
  out.set_order_id(payment.order_id);
  out.set_org_id(payment.org_id);
  out.set_payer(payment.payer);
  out.set_provider(payment.provider);
  out.set_status(std::string(PaymentStatusName(payment.status)));
  ToProto(payment.amount, *out.mutable_amount());
  out.set_refunded(payment.refunded);
  out.set_card_brand(payment.card_brand);
  out.set_card_last4(payment.card_last4);
  out.set_card_fingerprint(payment.card_fingerprint);
  out.set_failure_code(payment.failure_code);
  out.set_created_at_us(absl::ToUnixMicros(payment.created_at));
  out.set_updated_at_us(absl::ToUnixMicros(payment.updated_at));
  out.set_method(payment.method);
  out.set_redirect_url(payment.redirect_url);
}

PaymentView FromProto(const v1::PaymentView& payment) {
  return PaymentView{
      .id = payment.id(),
      .order_id = payment.order_id(),
      .org_id = payment.org_id(),
      .payer = payment.payer(),
      .provider = payment.provider(),
      .method = payment.method(),
      // An unknown state reads as failed: never as money taken.
      .status = ParseName(kPaymentStatusNames, payment.status()).value_or(PaymentStatus::kFailed),
      .amount = FromProto(payment.amount()),
      .refunded = payment.refunded(),
      .card_brand = payment.card_brand(),
      .card_last4 = payment.card_last4(),
      .card_fingerprint = payment.card_fingerprint(),
      .failure_code = payment.failure_code(),
      .redirect_url = payment.redirect_url(),
      .created_at = absl::FromUnixMicros(payment.created_at_us()),
      .updated_at = absl::FromUnixMicros(payment.updated_at_us())};
}

void ToProto(const RefundView& refund, v1::RefundView& out) {
  out.set_id(refund.id);
  out.set_payment_id(refund.payment_id);
  out.set_order_id(refund.order_id);
  out.set_status(std::string(RefundStatusName(refund.status)));
  ToProto(refund.amount, *out.mutable_amount());
  out.set_reason(refund.reason);
  out.set_created_at_us(absl::ToUnixMicros(refund.created_at));
  out.set_paid_out_by(refund.paid_out_by);
  if (refund.paid_out_at != absl::InfinitePast()) {
    out.set_paid_out_at_us(absl::ToUnixMicros(refund.paid_out_at));
  }
}

RefundView FromProto(const v1::RefundView& refund) {
  return RefundView{
      .id = refund.id(),
      .payment_id = refund.payment_id(),
      .order_id = refund.order_id(),
      .status = ParseName(kRefundStatusNames, refund.status()).value_or(RefundStatus::kFailed),
      .amount = FromProto(refund.amount()),
      .reason = refund.reason(),
      .created_at = absl::FromUnixMicros(refund.created_at_us()),
      .paid_out_by = refund.paid_out_by(),
      .paid_out_at = refund.paid_out_at_us() == 0 ? absl::InfinitePast()
                                                  : absl::FromUnixMicros(refund.paid_out_at_us())};
}

void ToProto(const AuthorizeCommand& command, v1::AuthorizeRequest& out) {
  out.set_key(command.key);
  out.set_order_id(command.order_id);
  out.set_org_id(command.org_id);
  out.set_payer(command.payer);
  ToProto(command.amount, *out.mutable_amount());
  out.set_method(command.method);
  if (command.card) ToProto(*command.card, *out.mutable_card());
}

AuthorizeCommand FromProto(const v1::AuthorizeRequest& request) {
  AuthorizeCommand out{.key = request.key(),
                       .order_id = request.order_id(),
                       .org_id = request.org_id(),
                       .payer = request.payer(),
                       .amount = FromProto(request.amount()),
                       .method = request.method().empty() ? "card" : request.method(),
                       .card = std::nullopt};
  if (request.has_card()) out.card = FromProto(request.card());
  return out;
}

void ToProto(const std::vector<PaymentView>& payments, v1::PaymentList& out) {
  for (const PaymentView& payment : payments) ToProto(payment, *out.add_payments());
}

std::vector<PaymentView> FromProto(const v1::PaymentList& payments) {
  std::vector<PaymentView> out;
  out.reserve(payments.payments_size());
  for (const v1::PaymentView& payment : payments.payments()) out.push_back(FromProto(payment));
  return out;
}

void ToProto(const std::vector<RefundView>& refunds, v1::RefundList& out) {
  for (const RefundView& refund : refunds) ToProto(refund, *out.add_refunds());
}

std::vector<RefundView> FromProto(const v1::RefundList& refunds) {
  std::vector<RefundView> out;
  out.reserve(refunds.refunds_size());
  for (const v1::RefundView& refund : refunds.refunds()) out.push_back(FromProto(refund));
  return out;
}

void ToProto(const std::vector<Mismatch>& mismatches, v1::MismatchList& out) {
  for (const Mismatch& found : mismatches) {
    v1::Mismatch& one = *out.add_mismatches();
    one.set_kind(found.kind);
    one.set_payment_id(found.payment_id);
    one.set_provider_reference(found.provider_reference);
    one.set_travio_amount(found.travio_amount);
    one.set_provider_amount(found.provider_amount);
    one.set_org_id(found.org_id);
    one.set_order_id(found.order_id);
    one.set_currency(found.currency);
    one.set_found_at_us(absl::ToUnixMicros(found.found_at));
  }
}

std::vector<Mismatch> FromProto(const v1::MismatchList& mismatches) {
  std::vector<Mismatch> out;
  out.reserve(mismatches.mismatches_size());
  for (const v1::Mismatch& one : mismatches.mismatches()) {
    out.push_back({.kind = one.kind(),
                   .payment_id = one.payment_id(),
                   .provider_reference = one.provider_reference(),
                   .travio_amount = one.travio_amount(),
                   .provider_amount = one.provider_amount(),
                   .org_id = one.org_id(),
                   .order_id = one.order_id(),
                   .currency = one.currency(),
                   .found_at = absl::FromUnixMicros(one.found_at_us())});
  }
  return out;
}

}  // namespace travio::payment
