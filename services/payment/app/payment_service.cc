#include "services/payment/app/payment_service.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::payment {
namespace {

absl::Status InvalidState(const PaymentView& payment, const char* action) {
  return Error(reasons::kInvalidPaymentState,
               absl::StrCat("A ", ToAbsl(PaymentStatusName(payment.status)), " payment cannot be ",
                            action, "."));
}

// How long the hosted page of a redirect payment opens: longer than any hold's deadline, which
// ends the payment first.
constexpr absl::Duration kCheckoutWindow = absl::Minutes(30);

absl::Status PaymentNotFound() { return Error(reasons::kPaymentNotFound, "No such payment."); }

}  // namespace

events::Event PaymentService::PaymentEvent(const PaymentView& payment) const {
  const events::Contract<PaymentChanged>* contract = ContractForStatus(payment.status);
  if (contract == nullptr) return events::Event{};  // a move nobody is told of
  return contract->Make(PaymentChanged{.payment_id = payment.id,
                                       .order_id = payment.order_id,
                                       .status = payment.status,
                                       .amount = payment.amount.amount,
                                       .currency = payment.amount.currency,
                                       .refunded = payment.refunded,
                                       .failure_code = payment.failure_code,
                                       .payer = payment.payer,
                                       .card_fingerprint = payment.card_fingerprint},
                        events::HeaderNow(ports_.ids, ports_.clock, payment.id, payment.org_id));
}

PaymentProvider& PaymentService::ProviderOf(const PaymentView& payment) {
  if (payment.method == CounterCash::kMethod) return counter_;
  return ports_.provider;
}

absl::Status PaymentService::Save(PaymentRecord& payment, PaymentStatus status) {
  const PaymentStatus from = payment.view.status;
  payment.view.status = status;
  payment.view.updated_at = ports_.clock.Now();
  if (status == PaymentStatus::kCaptured) payment.captured_at = payment.view.updated_at;
  TRAVIO_ASSIGN_OR_RETURN(bool written,
                          ports_.store.Update(payment, from, PaymentEvent(payment.view)));
  if (!written) {
    // A concurrent call moved it first (and announced it): answer what is stored.
    TRAVIO_ASSIGN_OR_RETURN(payment, Load(payment.view.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<PaymentRecord> PaymentService::Load(const std::string& payment_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto found, ports_.store.Find(payment_id));
  if (!found) return PaymentNotFound();
  AddRedirectUrl(found->view);
  return *std::move(found);
}

absl::StatusOr<PaymentRecord> PaymentService::Settle(PaymentRecord payment,
                                                     const std::optional<Card>& card) {
  if (payment.view.status != PaymentStatus::kPending) return payment;
  // Opening a redirect payment is idempotent by key too: it answers the charge as it stands.
  const absl::StatusOr<ProviderCharge> charge =
      payment.view.method == "redirect"
          ? ports_.provider.StartRedirect(payment.view.id, payment.view.amount.amount,
                                          payment.view.amount.currency)
          : ProviderOf(payment.view)
                .Authorize(payment.view.id, payment.view.amount.amount,
                           payment.view.amount.currency,
                           payment.view.method == CounterCash::kMethod ? std::nullopt : card);
  if (absl::IsNotFound(charge.status())) {
    // The provider never saw it and the card is gone: nothing was reserved.
    payment.view.failure_code = "payment_interrupted";
    TRAVIO_RETURN_IF_ERROR(Save(payment, PaymentStatus::kFailed));
    return payment;
  }
  if (!charge.ok()) return charge.status();
  if (charge->status == "pending") {
    // Still on the provider's page; remember where.
    if (payment.provider_reference != charge->reference) {
      payment.provider_reference = charge->reference;
      TRAVIO_RETURN_IF_ERROR(
          ports_.store.Update(payment, PaymentStatus::kPending, events::Event{}).status());
    }
    AddRedirectUrl(payment.view);
    return payment;
  }
  payment.provider_reference = charge->reference;
  if (charge->status == "declined") {
    payment.view.failure_code = charge->decline_code;
    TRAVIO_RETURN_IF_ERROR(Save(payment, PaymentStatus::kFailed));
  } else {
    // authorized, or already further along at the provider (captured, voided).
    const auto status = ParseName(kPaymentStatusNames, charge->status);
    if (!status) return absl::InternalError("the provider answered an unknown charge status");
    TRAVIO_RETURN_IF_ERROR(Save(payment, *status));
  }
  AddRedirectUrl(payment.view);
  return payment;
}

absl::StatusOr<PaymentView> PaymentService::Authorize(const AuthorizeCommand& command) {
  std::vector<FieldError> errors;
  if (command.key.empty() || command.key.size() > 200) errors.push_back({"key", "required"});
  if (command.amount.amount <= 0) errors.push_back({"amount", "must be positive"});
  if (command.amount.currency.size() != 3) errors.push_back({"currency", "must be ISO 4217"});
  if (command.method != "card" && command.method != "redirect" &&
      command.method != CounterCash::kMethod) {
    errors.push_back({"method.type", "card, redirect or cash"});
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The payment is invalid."), errors);
  }
  TRAVIO_ASSIGN_OR_RETURN(auto existing, ports_.store.FindByKey(command.key));
  const bool redirect = command.method == "redirect";
  const bool cash = command.method == CounterCash::kMethod;
  if (!existing) {
    if (!command.card && !redirect && !cash) {
      return Error(reasons::kPaymentNotFound, "No payment was started with this key.");
    }
    if (cash && command.card) {
      return WithFieldErrors(Error(reasons::kValidationFailed, "Cash comes without a card."),
                             {{"method.type", "cash has no card"}});
    }
    if (!redirect && !cash) {
      TRAVIO_RETURN_IF_ERROR(ValidateCard(*command.card, ports_.clock.Now()));
    }
    PaymentRecord created;
    created.key = command.key;
    PaymentView& view = created.view;
    view.id = ports_.ids.NewId();
    view.order_id = command.order_id;
    view.org_id = command.org_id;
    view.payer = command.payer;
    view.provider = cash ? counter_.name() : ports_.provider.name();
    view.status = PaymentStatus::kPending;
    view.amount = command.amount;
    view.method = command.method;
    if (!redirect && !cash) {
      view.card_brand = CardBrand(command.card->number);
      view.card_last4 = LastFour(command.card->number);
      if (ports_.fingerprints != nullptr) {
        view.card_fingerprint = ports_.fingerprints->Of(command.card->number);
      }
    }
    view.created_at = view.updated_at = ports_.clock.Now();
    created.captured_at = absl::UnixEpoch();
    const absl::Status inserted = ports_.store.Insert(created);
    if (inserted.ok()) {
      existing = std::move(created);
    } else if (absl::IsAlreadyExists(inserted)) {
      TRAVIO_ASSIGN_OR_RETURN(existing, ports_.store.FindByKey(command.key));
      if (!existing) return absl::InternalError("a payment vanished");
    } else {
      return inserted;
    }
  }
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord settled, Settle(*std::move(existing), command.card));
  return settled.view;
}

absl::StatusOr<PaymentView> PaymentService::Capture(const std::string& payment_id) {
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, Load(payment_id));
  TRAVIO_ASSIGN_OR_RETURN(payment, Settle(std::move(payment), std::nullopt));
  if (Captured(payment.view.status)) return payment.view;
  if (payment.view.status != PaymentStatus::kAuthorized) {
    return InvalidState(payment.view, "captured");
  }
  TRAVIO_ASSIGN_OR_RETURN(ProviderCharge charge,
                          ProviderOf(payment.view).Capture(payment.provider_reference));
  (void)charge;
  TRAVIO_RETURN_IF_ERROR(Save(payment, PaymentStatus::kCaptured));
  return payment.view;
}

absl::StatusOr<PaymentView> PaymentService::Void(const std::string& payment_id) {
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, Load(payment_id));
  TRAVIO_ASSIGN_OR_RETURN(payment, Settle(std::move(payment), std::nullopt));
  if (payment.view.status == PaymentStatus::kVoided ||
      payment.view.status == PaymentStatus::kFailed) {
    return payment.view;
  }
  // An authorization, or a redirect payment the traveller has not finished (abandoned).
  if (payment.view.status != PaymentStatus::kAuthorized &&
      payment.view.status != PaymentStatus::kPending) {
    return InvalidState(payment.view, "voided");
  }
  auto charge = ProviderOf(payment.view).Void(payment.provider_reference);
  if (IsReason(charge.status(), reasons::kInvalidChargeState)) {
    // The traveller decided on the provider's page meanwhile: follow the provider.
    TRAVIO_ASSIGN_OR_RETURN(payment, Settle(std::move(payment), std::nullopt));
    if (payment.view.status == PaymentStatus::kAuthorized) return Void(payment_id);
    return payment.view;
  }
  if (!charge.ok()) return charge.status();
  TRAVIO_RETURN_IF_ERROR(Save(payment, PaymentStatus::kVoided));
  AddRedirectUrl(payment.view);
  return payment.view;
}

absl::StatusOr<RefundView> PaymentService::Refund(const std::string& payment_id, int64_t amount,
                                                  const std::string& key,
                                                  const std::string& reason) {
  TRAVIO_ASSIGN_OR_RETURN(auto previous, ports_.store.FindRefundByKey(key));
  if (previous) return previous->view;
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, Load(payment_id));
  if (!Captured(payment.view.status)) return InvalidState(payment.view, "refunded");
  if (amount <= 0 || amount > payment.view.amount.amount - payment.view.refunded) {
    return Error(reasons::kRefundTooLarge,
                 absl::StrCat("At most ", payment.view.amount.amount - payment.view.refunded,
                              " can be refunded."));
  }
  auto refunded = ProviderOf(payment.view).Refund(payment.provider_reference, amount, key);
  if (IsReason(refunded.status(), reasons::kRefundRefused)) {
    // Another refund got there first: the provider's total is the one that counts.
    return Error(reasons::kRefundTooLarge, "The refunds would exceed what was captured.");
  }
  if (!refunded.ok()) return refunded.status();
  const ProviderRefund& made = *refunded;
  // Cash goes back over the counter. A quoted cancellation ("cancelled") of a counter sale is
  // made there by staff (travellers cannot cancel one themselves), who hand it over as they
  // cancel; anything else (a cancelled trip) is owed until a staff member hands it over.
  const bool owed = payment.view.method == CounterCash::kMethod && reason != "cancelled";
  RefundRecord refund{.view = {.id = ports_.ids.NewId(),
                               .payment_id = payment.view.id,
                               .order_id = payment.view.order_id,
                               .status = owed ? RefundStatus::kOwed : RefundStatus::kSucceeded,
                               .amount = {made.amount, payment.view.amount.currency},
                               .reason = reason,
                               .created_at = ports_.clock.Now()},
                      .key = key,
                      .provider_reference = made.reference};
  payment.view.refunded += made.amount;
  payment.view.status = payment.view.refunded >= payment.view.amount.amount
                            ? PaymentStatus::kRefunded
                            : PaymentStatus::kPartiallyRefunded;
  payment.view.updated_at = refund.view.created_at;
  const events::Event event = kPaymentRefunded.Make(
      RefundMade{.refund_id = refund.view.id,
                 .payment_id = payment.view.id,
                 .order_id = payment.view.order_id,
                 .amount = refund.view.amount.amount,
                 .currency = refund.view.amount.currency,
                 .reason = reason},
      events::HeaderNow(ports_.ids, ports_.clock, payment.view.id, payment.view.org_id));
  TRAVIO_ASSIGN_OR_RETURN(RefundRecord stored, ports_.store.AddRefund(refund, payment, event));
  return stored.view;
}

absl::Status PaymentService::HandleWebhook(const std::string& provider,
                                           const std::string& signature, const std::string& body) {
  if (provider != ports_.provider.name()) {
    return Error(reasons::kUnknownProvider, "No such payment provider.");
  }
  TRAVIO_ASSIGN_OR_RETURN(std::string key, ports_.provider.VerifiedWebhookKey(signature, body));
  TRAVIO_ASSIGN_OR_RETURN(auto payment, ports_.store.Find(key));
  if (!payment) {
    ports_.logger.Warn("a webhook names no payment of ours", {{"key", key}});
    return absl::OkStatus();
  }
  return Settle(*std::move(payment), std::nullopt).status();
}

void PaymentService::AddRedirectUrl(PaymentView& payment) const {
  payment.redirect_url.clear();
  if (ports_.checkout == nullptr || payment.method != "redirect" ||
      payment.status != PaymentStatus::kPending) {
    return;
  }
  // The page is the payer's: the token binds it to them, for a while.
  payment.redirect_url =
      absl::StrCat("/v1/payments/", payment.provider, "/checkout/", payment.id, "?token=",
                   ports_.checkout->CheckoutToken(payment.id, payment.payer,
                                                  payment.created_at + kCheckoutWindow));
}

absl::StatusOr<PaymentRecord> PaymentService::LoadCheckout(const std::string& payment_id,
                                                           const std::string& token) {
  auto payment = Load(payment_id);
  if (absl::IsNotFound(payment.status())) return PaymentNotFound();
  if (!payment.ok()) return payment.status();
  if (ports_.checkout == nullptr || payment->view.method != "redirect" ||
      !ports_.checkout->CheckoutTokenValid(token, payment->view.id, payment->view.payer,
                                           ports_.clock.Now())) {
    return PaymentNotFound();  // the same answer as for a payment that does not exist
  }
  return payment;
}

absl::StatusOr<PaymentView> PaymentService::GetCheckout(const std::string& payment_id,
                                                        const std::string& token) {
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, LoadCheckout(payment_id, token));
  return payment.view;
}

absl::StatusOr<PaymentView> PaymentService::CompleteCheckout(const std::string& payment_id,
                                                             const std::string& token,
                                                             bool approve) {
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, LoadCheckout(payment_id, token));
  if (payment.view.method != "redirect" || payment.view.status != PaymentStatus::kPending ||
      payment.provider_reference.empty()) {
    return payment.view;
  }
  auto webhook = ports_.checkout->Decide(payment.provider_reference, approve);
  if (!webhook.ok() && !IsReason(webhook.status(), reasons::kInvalidChargeState)) {
    return webhook.status();
  }
  if (webhook.ok()) {
    // Delivered the way the provider would: signed, through the webhook path.
    TRAVIO_RETURN_IF_ERROR(
        HandleWebhook(ports_.provider.name(), webhook->signature, webhook->body));
  }
  TRAVIO_ASSIGN_OR_RETURN(payment, Load(payment_id));
  return payment.view;
}

absl::StatusOr<PaymentView> PaymentService::GetPayment(const std::string& payment_id) {
  TRAVIO_ASSIGN_OR_RETURN(PaymentRecord payment, Load(payment_id));
  return payment.view;
}

absl::StatusOr<std::vector<PaymentView>> PaymentService::PaymentsOfOrder(
    const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<PaymentRecord> records, ports_.store.OfOrder(order_id));
  std::vector<PaymentView> views;
  for (PaymentRecord& record : records) views.push_back(std::move(record.view));
  return views;
}

absl::StatusOr<std::vector<RefundView>> PaymentService::RefundsOfOrder(
    const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<RefundRecord> records, ports_.store.RefundsOfOrder(order_id));
  std::vector<RefundView> views;
  for (RefundRecord& record : records) views.push_back(std::move(record.view));
  return views;
}

absl::StatusOr<PaymentService::Tally> PaymentService::TallyBetween(absl::Time from, absl::Time to) {
  Tally money;
  TRAVIO_ASSIGN_OR_RETURN(std::vector<PaymentRecord> captured,
                          ports_.store.CapturedBetween(from, to));
  // Cash settles in the operator's till, not in the provider's report.
  for (const PaymentRecord& payment : captured) {
    if (payment.view.method == CounterCash::kMethod) continue;
    Sides& sides = money[{payment.provider_reference, "capture"}];
    sides.travio += payment.view.amount.amount;
    sides.payment_id = payment.view.id;
    sides.org_id = payment.view.org_id;
    sides.order_id = payment.view.order_id;
    sides.currency = payment.view.amount.currency;
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<RefundRecord> refunds, ports_.store.RefundsBetween(from, to));
  // A refund is cash by its payment's method, not by anything its reference says.
  std::map<std::string, bool> paid_in_cash;
  for (const RefundRecord& refund : refunds) {
    auto known = paid_in_cash.find(refund.view.payment_id);
    if (known == paid_in_cash.end()) {
      TRAVIO_ASSIGN_OR_RETURN(auto payment, ports_.store.Find(refund.view.payment_id));
      known = paid_in_cash
                  .emplace(refund.view.payment_id,
                           payment && payment->view.method == CounterCash::kMethod)
                  .first;
    }
    if (known->second) continue;
    Sides& sides = money[{refund.provider_reference, "refund"}];
    sides.travio += refund.view.amount.amount;
    sides.payment_id = refund.view.payment_id;
    sides.order_id = refund.view.order_id;
    sides.currency = refund.view.amount.currency;
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SettlementLine> report, ports_.provider.Settlement(from, to));
  for (const SettlementLine& line : report) {
    Sides& sides = money[{line.reference, line.kind}];
    sides.provider += line.amount;
    if (sides.payment_id.empty()) sides.payment_id = line.key;
    if (sides.currency.empty()) sides.currency = line.currency;
  }
  return money;
}

absl::StatusOr<std::vector<Mismatch>> PaymentService::Reconcile(absl::Time from, absl::Time to,
                                                                absl::Duration margin) {
  TRAVIO_ASSIGN_OR_RETURN(Tally money, TallyBetween(from, to));
  std::optional<Tally> widened;
  std::optional<Tally> just_before;  // [from - margin, from): the previous window's edge
  std::vector<Mismatch> mismatches;
  for (const auto& [key, in_window] : money) {
    if (in_window.travio == in_window.provider) continue;
    Sides sides = in_window;
    if (margin > absl::ZeroDuration()) {
      if (!widened) {
        TRAVIO_ASSIGN_OR_RETURN(widened, TallyBetween(from - margin, to + margin));
      }
      const Sides& wide = (*widened)[key];
      // Both sides, one just outside the window: the run of the next (or last) window finds
      // them apart the other way round, and the same agreement.
      if (wide.travio == wide.provider) continue;
      // They disagree, and the previous window, which holds a side of them, said so already.
      if (!just_before) {
        TRAVIO_ASSIGN_OR_RETURN(just_before, TallyBetween(from - margin, from));
      }
      if (auto it = just_before->find(key); it != just_before->end()) continue;
      sides.travio = wide.travio;
      sides.provider = wide.provider;
    }
    const char* kind = sides.travio == 0     ? "missing_in_travio"
                       : sides.provider == 0 ? "missing_at_provider"
                                             : "amount_differs";
    mismatches.push_back({.kind = kind,
                          .payment_id = sides.payment_id,
                          .provider_reference = key.first,
                          .travio_amount = sides.travio,
                          .provider_amount = sides.provider,
                          .org_id = sides.org_id,
                          .order_id = sides.order_id,
                          .currency = sides.currency});
  }
  // A refund's operator is its payment's.
  for (Mismatch& mismatch : mismatches) {
    if (!mismatch.org_id.empty() || mismatch.order_id.empty()) continue;
    TRAVIO_ASSIGN_OR_RETURN(auto payment, ports_.store.Find(mismatch.payment_id));
    if (payment) mismatch.org_id = payment->view.org_id;
  }
  return mismatches;
}

absl::StatusOr<absl::Time> PaymentService::ReconciledUntil(absl::Time start) {
  return ports_.store.ReconciledUntil(start);
}

absl::StatusOr<bool> PaymentService::RecordReconciliation(absl::Time from, absl::Time to,
                                                          std::vector<Mismatch> mismatches) {
  if (to <= from) return absl::InvalidArgumentError("a reconciled window ends after it starts");
  const absl::Time now = ports_.clock.Now();
  for (Mismatch& mismatch : mismatches) mismatch.found_at = now;
  return ports_.store.RecordReconciliation(from, to, mismatches);
}

absl::StatusOr<RefundView> PaymentService::PayOutRefund(const std::string& org_id,
                                                        const std::string& refund_id,
                                                        const std::string& staff) {
  const absl::Status not_found = Error(reasons::kRefundNotFound, "No such refund.");
  if (org_id.empty() || staff.empty()) return Error(reasons::kOrgRequired, "Name who pays out.");
  TRAVIO_ASSIGN_OR_RETURN(auto refund, ports_.store.FindRefund(refund_id));
  if (!refund) return not_found;
  TRAVIO_ASSIGN_OR_RETURN(auto payment, ports_.store.Find(refund->view.payment_id));
  // Another operator's refund is no refund at all to this one.
  if (!payment || payment->view.org_id != org_id) return not_found;
  const absl::Status not_owed =
      Error(reasons::kRefundNotOwed,
            "This refund is not owed at the counter (handed over, or not cash).");
  if (refund->view.status != RefundStatus::kOwed) return not_owed;
  TRAVIO_ASSIGN_OR_RETURN(bool paid,
                          ports_.store.PayOutRefund(refund_id, staff, ports_.clock.Now()));
  if (!paid) return not_owed;  // another staff member handed it over first
  TRAVIO_ASSIGN_OR_RETURN(refund, ports_.store.FindRefund(refund_id));
  if (!refund) return absl::InternalError("a refund vanished");
  return refund->view;
}

absl::StatusOr<std::vector<Mismatch>> PaymentService::MismatchesOfOrg(const std::string& org_id,
                                                                      absl::Time since, int limit) {
  if (org_id.empty()) return Error(reasons::kOrgRequired, "Name an organization.");
  if (limit < 1 || limit > 200) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  return ports_.store.MismatchesOfOrg(org_id, since, limit);
}

}  // namespace travio::payment
