// Paying an order: the booking saga started for the order as the buyer saw it.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/order/app/order_service.h"

namespace travio::order {
namespace {

bool IsDecline(const std::string& code) {
  return code == "payment_declined" || code == "insufficient_funds";
}

absl::Status PaymentInProgress() {
  return WithRetryAfter(
      Error(reasons::kPaymentInProgress, "A payment of this order is being processed."),
      absl::Seconds(2));
}

// Why `order` cannot be paid now; OK when it can.
absl::Status Payable(const OrderView& order, absl::Time now) {
  if (order.status == OrderStatus::kExpired ||
      (order.status == OrderStatus::kPendingPayment && order.expires_at <= now)) {
    return Error(reasons::kOrderExpired,
                 "The order expired before it was paid; its seats are released.");
  }
  if (order.status != OrderStatus::kPendingPayment) {
    return Error(reasons::kOrderNotPayable,
                 absl::StrCat("The order is ", ToAbsl(OrderStatusName(order.status)), "."));
  }
  return absl::OkStatus();
}

// Card testing and guessed security codes: cards the provider declined, counted before another
// authorization is asked for, across every operator (testers move between operators). Per order
// over its life, per buyer over an hour, and per client address over an hour when the declines
// are also at least half of the address's payments: mobile carriers put thousands of
// travellers behind one address, whose honest payments mostly go through.
constexpr int kMostDeclinedPerOrder = 5;
constexpr int kMostDeclinedPerBuyer = 10;
constexpr int kMostDeclinedPerAddress = 50;
constexpr absl::Duration kDeclinedWindow = absl::Hours(1);

absl::Status TooManyDeclines(std::string message, absl::Duration retry_after) {
  return WithRetryAfter(Error(reasons::kTooManyAttempts, std::move(message)), retry_after);
}

}  // namespace

absl::StatusOr<PayResult> OrderService::Pay(const PayCommand& command) {
  TRAVIO_RETURN_IF_ERROR(CheckRequestKey(command.request_key));
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(command.buyer, command.order_id));
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> earlier,
                          ports_.store.SagasOfOrder(order.view.id));
  // The request that began a payment, sent again after its answer was lost (a process killed
  // on the way, a gateway that forgot the key): that payment, once it went through or while it
  // runs. One that failed or was undone is tried again like any new request.
  if (!command.request_key.empty()) {
    for (auto saga = earlier.rbegin(); saga != earlier.rend(); ++saga) {
      if (saga->kind != SagaKind::kBooking || saga->request_key != command.request_key) continue;
      if (saga->status == SagaStatus::kCompleted || saga->status == SagaStatus::kRunning) {
        return PaymentOutcome(order, *saga);
      }
      break;
    }
  }
  const absl::Time now = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(Payable(order.view, now));
  const auto declined_here = std::count_if(earlier.begin(), earlier.end(), [](const SagaRecord& s) {
    return s.kind == SagaKind::kBooking && s.card_declined;
  });
  if (declined_here >= kMostDeclinedPerOrder) {
    return TooManyDeclines(
        "This order's cards were declined too often; release its seats, then hold them again to "
        "pay with another card.",
        order.view.expires_at - now);
  }
  const std::string address = command.client_address.substr(0, 64);
  TRAVIO_ASSIGN_OR_RETURN(
      FailedPayments declined,
      ports_.store.FailedPaymentsSince(command.buyer, address, now - kDeclinedWindow));
  if (declined.by_buyer >= kMostDeclinedPerBuyer ||
      (declined.by_address >= kMostDeclinedPerAddress &&
       declined.by_address * 2 >= declined.attempts_by_address)) {
    return TooManyDeclines("Too many cards were declined in the last hour; try again later.",
                           kDeclinedWindow);
  }
  if (command.method != kCashMethod && !command.collected_by.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "Only cash is collected by staff."),
                           {{"collected_by", "only for cash"}});
  }
  PaymentInput input{.method = command.method, .card = std::nullopt, .collected_by = ""};
  if (command.method == "card") {
    TRAVIO_RETURN_IF_ERROR(payment::ValidateCard(command.card, now));
    input.card = command.card;
  } else if (command.method == kCashMethod) {
    if (command.collected_by.empty() || command.collected_by.size() > 200) {
      return WithFieldErrors(Error(reasons::kValidationFailed, "Cash needs who took it."),
                             {{"collected_by", "required for cash"}});
    }
    input.collected_by = command.collected_by;
  } else if (command.method != "redirect") {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The payment method is invalid."),
                           {{"method.type", "card, redirect or cash"}});
  }
  BookingSaga steps = Booking(std::move(input));
  SagaRecord started =
      runner_.NewSaga(ports_.ids.NewId(), order.view.id, SagaKind::kBooking, BookingSaga::kFirst);
  started.client_address = address;
  started.request_key = command.request_key;
  // Fenced by the order's version: a payment that finished while this request read the order
  // (a confirmed order, a second capture) cannot start another one.
  auto saga = runner_.Start(std::move(started), order.version, steps);
  if (IsReason(saga.status(), reasons::kSagaRunning)) return PaymentInProgress();
  if (IsReason(saga.status(), reasons::kOrderChanged)) {
    TRAVIO_ASSIGN_OR_RETURN(OrderRecord now_order, LoadOrder(order.view.id));
    TRAVIO_RETURN_IF_ERROR(Payable(now_order.view, ports_.clock.Now()));
    return PaymentInProgress();
  }
  if (!saga.ok()) return saga.status();
  return PaymentOutcome(order, *saga);
}

absl::StatusOr<PayResult> OrderService::PaymentOutcome(const OrderRecord& order,
                                                       const SagaRecord& saga) {
  if (saga.status == SagaStatus::kRunning && !saga.payment_id.empty()) {
    // A redirect payment: the traveller finishes it on the provider's page.
    TRAVIO_ASSIGN_OR_RETURN(PaymentView pending, ports_.payments.GetPayment(saga.payment_id));
    if (pending.status == payment::PaymentStatus::kPending) {
      TRAVIO_ASSIGN_OR_RETURN(OrderView view, GetOrder(order.view.id));
      return PayResult{.payment = std::move(pending), .order = std::move(view)};
    }
    // Held for review: the money is reserved and the seats kept until staff decide.
    TRAVIO_ASSIGN_OR_RETURN(OrderView view, GetOrder(order.view.id));
    if (view.status == OrderStatus::kUnderReview) {
      return PayResult{.payment = std::move(pending), .order = std::move(view)};
    }
  }
  switch (saga.status) {
    case SagaStatus::kRunning:
      // Parked to try again later (the recovery loop finishes it), or waiting.
      return WithRetryAfter(Error(reasons::kPaymentPending,
                                  "The payment is still being processed; look at the order."),
                            absl::Seconds(2));
    case SagaStatus::kFailed:
      if (IsDecline(saga.failure_code)) {
        return Error(reasons::kPaymentDeclined,
                     saga.failure_code == "insufficient_funds"
                         ? "The card was declined for insufficient funds; the order can still be "
                           "paid until it expires."
                         : "The card was declined; the order can still be paid until it expires.");
      }
      // The provider's or payment service's own code is theirs, not an answer of this API.
      return Error(reasons::kPaymentFailed,
                   absl::StrCat("The payment did not go through (", saga.failure_code, ")."));
    case SagaStatus::kCompensated:
      if (saga.failure_code == "risk_declined" || saga.failure_code == "risk_rejected" ||
          saga.failure_code == "review_expired") {
        return Error(reasons::kRiskDeclined,
                     "The payment was declined by a risk check; nothing was charged and the "
                     "seats were released.");
      }
      if (saga.failure_code == "order_closed_unpaid") {
        return Error(reasons::kOrderNotPayable,
                     "The order was closed while it was being paid; nothing was charged.");
      }
      if (saga.failure_code == "seats_unavailable") {
        return Error(reasons::kSeatsUnavailable,
                     "The seats were sold meanwhile; the payment was voided.");
      }
      if (saga.failure_code == "order_closed") {
        return Error(reasons::kOrderNotPayable,
                     "The order was closed while it was being paid; the payment was refunded.");
      }
      return Error(reasons::kHoldExpired,
                   "The hold expired before the seats were confirmed; the payment was voided.");
    case SagaStatus::kCompleted:
      break;
  }
  // The order's view lists its payments: the captured one is among them.
  TRAVIO_ASSIGN_OR_RETURN(OrderView view, GetOrder(order.view.id));
  for (const PaymentView& paid : view.payments) {
    if (paid.id == saga.payment_id) return PayResult{.payment = paid, .order = std::move(view)};
  }
  return absl::InternalError("a confirmed order does not list its payment");
}

}  // namespace travio::order
