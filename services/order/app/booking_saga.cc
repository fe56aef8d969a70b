#include "services/order/app/booking_saga.h"

#include "platform/base/errors.h"
#include "services/order/api/order_events.h"

namespace travio::order {

bool Retriable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kResourceExhausted:
      return true;
    case absl::StatusCode::kAborted:
      return !IsReason(status, reasons::kHoldVersionMismatch);
    default:
      return false;
  }
}

StepOutcome BookingSaga::Run(SagaRecord& saga, OrderRecord& order) {
  switch (saga.step) {
    case SagaStep::kFraud:
      return Fraud(saga, order);
    case SagaStep::kAuthorize:
      return Authorize(saga, order);
    case SagaStep::kConfirmSeats:
      return ConfirmSeats(saga, order);
    case SagaStep::kCapture:
      return Capture(saga);
    case SagaStep::kConfirmOrder:
      return ConfirmOrder(saga, order);
    case SagaStep::kReleaseBooking:
      return ReleaseBooking(saga, order);
    case SagaStep::kVoidPayment:
      return VoidPayment(saga);
    case SagaStep::kRefundPayment:
      return RefundPayment(saga, order);
    case SagaStep::kExpireOrder:
      return ExpireOrder(saga, order);
    default:
      saga.failure_code = "unknown_step";
      return StepOutcome::End(SagaStatus::kFailed, std::string("not a booking step: ") +
                                                       std::string(SagaStepName(saga.step)));
  }
}

StepOutcome BookingSaga::Fraud(SagaRecord& saga, const OrderRecord& order) {
  auto allowed = ports_.fraud.Allow(order.view);
  if (!allowed.ok()) return StepOutcome::Retry(allowed.status());
  if (!*allowed) {
    saga.failure_code = "fraud_rejected";
    return StepOutcome::End(SagaStatus::kFailed, "fraud_rejected");
  }
  return StepOutcome::Next(SagaStep::kAuthorize);
}

StepOutcome BookingSaga::Authorize(SagaRecord& saga, const OrderRecord& order) {
  const OrderView& view = order.view;
  if (view.status != OrderStatus::kPendingPayment && saga.payment_id.empty()) {
    // Closed since the saga started (expired, its trip cancelled): take no money.
    saga.failure_code = "order_not_payable";
    return StepOutcome::End(SagaStatus::kFailed, "the order is no longer payable");
  }
  auto paid = ports_.payments.Authorize({.key = saga.id,
                                         .order_id = view.id,
                                         .org_id = view.org_id,
                                         .payer = view.buyer,
                                         .amount = view.total,
                                         .method = input_.method,
                                         .card = input_.card});
  if (!paid.ok() && Retriable(paid.status())) return StepOutcome::Retry(paid.status());
  if (!paid.ok()) {
    // The payment never started (a crash before it was recorded) or the card was refused.
    saga.failure_code =
        absl::IsNotFound(paid.status()) ? "payment_interrupted" : ReasonOf(paid.status());
    return StepOutcome::End(SagaStatus::kFailed, paid.status().ToString());
  }
  saga.payment_id = paid->id;
  if (paid->status == payment::PaymentStatus::kFailed) {
    saga.failure_code = paid->failure_code;
    return StepOutcome::End(SagaStatus::kFailed, paid->failure_code);
  }
  if (paid->status == payment::PaymentStatus::kPending) {
    // On the provider's page: its webhook wakes the saga; the order's deadline ends the wait.
    if (ports_.clock.Now() >= view.expires_at || view.status != OrderStatus::kPendingPayment) {
      saga.failure_code = "payment_timeout";
      return StepOutcome::Next(SagaStep::kVoidPayment,
                               "the traveller did not finish paying in time");
    }
    return StepOutcome::Wait(view.expires_at, paid->id);
  }
  return StepOutcome::Next(SagaStep::kConfirmSeats, paid->id);
}

StepOutcome BookingSaga::ConfirmSeats(SagaRecord& saga, const OrderRecord& order) {
  const OrderView& view = order.view;
  auto booked =
      ports_.inventory.ConfirmHold(view.buyer, view.trip_id, view.hold_id, order.hold_version);
  if (!booked.ok() && Retriable(booked.status())) return StepOutcome::Retry(booked.status());
  if (!booked.ok()) {
    saga.failure_code = ReasonOf(booked.status());
    if (saga.failure_code.empty()) saga.failure_code = "hold_expired";
    return StepOutcome::Next(SagaStep::kVoidPayment, booked.status().ToString());
  }
  saga.booking_id = booked->id;
  return StepOutcome::Next(SagaStep::kCapture, booked->id);
}

StepOutcome BookingSaga::Capture(SagaRecord& saga) {
  auto captured = ports_.payments.Capture(saga.payment_id);
  if (!captured.ok() && !Retriable(captured.status())) {
    // The authorization is gone (it lapsed at the provider): the seats cannot stay unpaid.
    saga.failure_code = "capture_refused";
    return StepOutcome::Next(SagaStep::kReleaseBooking, captured.status().ToString());
  }
  if (!captured.ok()) return StepOutcome::Retry(captured.status());
  return StepOutcome::Next(SagaStep::kConfirmOrder);
}

StepOutcome BookingSaga::ConfirmOrder(SagaRecord& saga, OrderRecord& order) {
  const OrderView& view = order.view;
  if (view.status != OrderStatus::kPendingPayment) {
    // Closed while it was being paid (its trip was cancelled during the capture): the money
    // goes back and the seats are given up, never kept for an order that is not sold.
    saga.failure_code = "order_closed";
    return StepOutcome::Next(
        SagaStep::kReleaseBooking,
        std::string("the order became ") + std::string(OrderStatusName(view.status)));
  }
  order.view.status = OrderStatus::kConfirmed;
  order.view.booking_id = saga.booking_id;
  order.payment_id = saga.payment_id;
  StepOutcome outcome = StepOutcome::End(SagaStatus::kCompleted);
  outcome.order_changed = true;
  outcome.event =
      kOrderConfirmed.Make({.order_id = view.id,
                            .trip_id = view.trip_id,
                            .booking_id = saga.booking_id,
                            .payment_id = saga.payment_id,
                            .seats = ActiveSeats(view.items),
                            .from = view.from,
                            .to = view.to,
                            .total = view.total,
                            .email = view.contact.email},
                           events::HeaderNow(ports_.ids, ports_.clock, view.id, view.org_id));
  return outcome;
}

StepOutcome BookingSaga::ReleaseBooking(SagaRecord& saga, const OrderRecord& order) {
  auto freed = ports_.inventory.CancelBooking(order.view.trip_id, saga.booking_id, {});
  if (!freed.ok() && Retriable(freed.status())) return StepOutcome::Retry(freed.status());
  // Captured money goes back by refund; a mere authorization is voided.
  const SagaStep next =
      saga.failure_code == "order_closed" ? SagaStep::kRefundPayment : SagaStep::kVoidPayment;
  return StepOutcome::Next(next, freed.ok() ? "" : freed.status().ToString());
}

StepOutcome BookingSaga::VoidPayment(SagaRecord& saga) {
  if (!saga.payment_id.empty()) {
    auto voided = ports_.payments.Void(saga.payment_id);
    if (!voided.ok() && Retriable(voided.status())) return StepOutcome::Retry(voided.status());
    if (!voided.ok()) {
      ports_.logger.Error("a payment could not be voided",
                          {{"payment_id", saga.payment_id}, {"error", voided.status().ToString()}});
    }
  }
  return StepOutcome::Next(SagaStep::kExpireOrder);
}

StepOutcome BookingSaga::RefundPayment(SagaRecord& saga, const OrderRecord& order) {
  // Keyed by the saga: a retried step never refunds twice.
  auto refunded = ports_.payments.Refund(saga.payment_id, order.view.total.amount,
                                         saga.id + ":refund", "order_closed");
  if (!refunded.ok() && Retriable(refunded.status())) return StepOutcome::Retry(refunded.status());
  if (!refunded.ok()) {
    ports_.logger.Error("a captured payment of a closed order could not be refunded",
                        {{"payment_id", saga.payment_id}, {"error", refunded.status().ToString()}});
    return StepOutcome::Next(SagaStep::kExpireOrder, refunded.status().ToString());
  }
  return StepOutcome::Next(SagaStep::kExpireOrder, refunded->id);
}

StepOutcome BookingSaga::ExpireOrder(SagaRecord& saga, OrderRecord& order) {
  (void)ports_.inventory.ReleaseHold(order.view.buyer, order.view.hold_id);
  StepOutcome outcome = StepOutcome::End(SagaStatus::kCompensated, saga.failure_code);
  if (order.view.status == OrderStatus::kPendingPayment) {
    order.view.status = OrderStatus::kExpired;
    outcome.order_changed = true;
    outcome.event = kOrderExpired.Make(
        {.order_id = order.view.id, .reason = saga.failure_code},
        events::HeaderNow(ports_.ids, ports_.clock, order.view.id, order.view.org_id));
  }
  return outcome;
}

}  // namespace travio::order
