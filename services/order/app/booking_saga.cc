#include "services/order/app/booking_saga.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
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
    case SagaStep::kAuthorize:
      return Authorize(saga, order);
    case SagaStep::kConfirmSeats:
      return ConfirmSeats(saga, order);
    case SagaStep::kFraud:
      return Fraud(saga, order);
    case SagaStep::kAwaitReview:
      return AwaitReview(saga, order);
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

StepOutcome BookingSaga::Authorize(SagaRecord& saga, const OrderRecord& order) {
  const OrderView& view = order.view;
  if (view.status != OrderStatus::kPendingPayment && saga.payment_id.empty()) {
    // Closed since the saga started (expired, its trip cancelled): take no money.
    saga.failure_code = "order_not_payable";
    return StepOutcome::End(SagaStatus::kFailed, "the order is no longer payable");
  }
  auto paid = ports_.payments.Authorize(
      {.key = saga.id,
       .order_id = view.id,
       .org_id = view.org_id,
       .payer = input_.method == kCashMethod ? input_.collected_by : view.buyer,
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
    // Refused by the provider, as card testing is; not a payment the provider never saw (a
    // crash, an outage: payment_interrupted) nor a traveller leaving the hosted page.
    saga.card_declined = input_.method == "card" && input_.card.has_value() &&
                         paid->failure_code != "payment_interrupted";
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
  return StepOutcome::Next(SagaStep::kFraud, booked->id);
}

namespace {

// The trip's seats and berths, and how many are still for sale, from its seat map.
absl::StatusOr<TripSeats> SeatsOf(inventory::InventoryClient& inventory, const OrderView& order) {
  // The order's own journey: on a trip of several legs, seats sold on another leg are still
  // for sale on this one.
  absl::StatusOr<inventory::SeatMap> map =
      inventory.GetSeatMap(order.trip_id, order.from, order.to);
  if (!map.ok()) return map.status();
  TripSeats seats{.capacity = 0, .unsold = map->available};
  for (const inventory::SeatMapDeck& deck : map->decks) {
    for (const inventory::SeatMapCell& cell : deck.cells) {
      if (cell.type == "seat" || cell.type == "berth") ++seats.capacity;
    }
  }
  return seats;
}

// A review turned into a denial, saying why.
void DenyInstead(fraud::Assessment& assessment, std::string signal, std::string detail) {
  assessment.decision = fraud::Decision::kDeny;
  assessment.reasons.insert(
      assessment.reasons.begin(),
      {.signal = std::move(signal), .weight = 0, .detail = std::move(detail)});
}

}  // namespace

absl::StatusOr<fraud::Assessment> BookingSaga::Assess(const SagaRecord& saga,
                                                      const OrderRecord& order, int capacity) {
  const OrderView& view = order.view;
  const FraudPolicy& policy = ports_.fraud_policy;
  fraud::AssessRequest request{.org_id = view.org_id,
                               .order_id = view.id,
                               .trip_id = view.trip_id,
                               .buyer = view.buyer,
                               .email = view.contact.email,
                               .client_address = saga.client_address,
                               .card_fingerprint = "",
                               .from = view.from,
                               .to = view.to,
                               .seats = static_cast<int>(ActiveSeats(view.items).size()),
                               .capacity = capacity,
                               .total = view.total,
                               .within = policy.deadline};
  absl::StatusOr<PaymentView> paid = ports_.payments.GetPayment(saga.payment_id);
  if (!paid.ok() && Retriable(paid.status())) return paid.status();
  if (paid.ok()) request.card_fingerprint = paid->card_fingerprint;
  absl::StatusOr<fraud::Assessment> assessed = ports_.fraud.Assess(request);
  if (assessed.ok()) return *std::move(assessed);
  // Fraud is down, slow or broken: sales go on under the configured fallback, and the metrics
  // say so. Fraud refusing what it was asked (a malformed request) sends the order to staff.
  const absl::StatusCode code = assessed.status().code();
  const bool unanswered = code != absl::StatusCode::kInvalidArgument &&
                          code != absl::StatusCode::kFailedPrecondition &&
                          code != absl::StatusCode::kOutOfRange;
  fraud::Assessment fallback;
  fallback.decision = unanswered ? policy.fallback : fraud::Decision::kReview;
  fallback.fallback = true;
  fallback.review_for = policy.fallback_review_for;
  fallback.reasons.push_back(
      {.signal = "fallback",
       .weight = 0,
       .detail = absl::StrCat(
           unanswered ? "the fraud service did not answer (" : "the fraud service failed (",
           absl::StatusCodeToString(code), ")")});
  ports_.logger.Warn("fraud did not decide; the fallback did",
                     {{"order_id", view.id},
                      {"decision", fraud::DecisionName(fallback.decision)},
                      {"error", assessed.status().ToString()}});
  if (policy.fallbacks != nullptr) {
    policy.fallbacks->WithLabels({std::string(fraud::DecisionName(fallback.decision))}).Increment();
  }
  return fallback;
}

absl::StatusOr<absl::Time> BookingSaga::HoldForReview(const OrderRecord& order,
                                                      fraud::Assessment& assessment,
                                                      const TripSeats& trip, absl::Time now) {
  const OrderView& view = order.view;
  const FraudPolicy& policy = ports_.fraud_policy;
  // Never past departure, nor past the platform's limit (authorizations lapse).
  const absl::Time deadline =
      std::min({now + assessment.review_for, now + policy.review_limit, view.departs_at});
  if (view.departs_at - now < policy.shortest_review) {
    DenyInstead(assessment, "no_time_to_review",
                "too little time is left before departure for staff to review the order");
    return absl::InfinitePast();
  }
  // Reviews keep seats booked without money taken: a buyer who could get orders reviewed at
  // will would hold a bus for hours for free. Past a share of the trip, a review is a denial.
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> reviewed,
                          ports_.store.OrdersOnTrip(view.trip_id, {OrderStatus::kUnderReview}));
  int64_t held = 0;
  for (const OrderRecord& other : reviewed) {
    if (other.view.id != view.id)
      held += static_cast<int64_t>(ActiveSeats(other.view.items).size());
  }
  const int64_t seats = static_cast<int64_t>(ActiveSeats(view.items).size());
  // A share of the bus, and never more than half of what is left of it: on a nearly full bus
  // the last seats must not all wait for reviews.
  int64_t limit = policy.review_seats_without_capacity;
  if (trip.capacity > 0) {
    limit = std::min<int64_t>(trip.capacity * int64_t{policy.review_share_percent} / 100,
                              (trip.unsold + held + seats) / 2);
  }
  if (held + seats > limit) {
    DenyInstead(assessment, "review_capacity",
                absl::StrCat(held, " of the trip's seats are already held for review (at most ",
                             limit, ")"));
    return absl::InfinitePast();
  }
  return deadline;
}

StepOutcome BookingSaga::Fraud(SagaRecord& saga, OrderRecord& order) {
  OrderView& view = order.view;
  if (saga.payment_id.empty()) {
    // A saga recorded before fraud moved behind the seats: it has authorized nothing yet.
    return StepOutcome::Next(SagaStep::kAuthorize, "fraud now decides after the seats");
  }
  if (view.status != OrderStatus::kPendingPayment) {
    // Closed since its seats were confirmed (its trip cancelled): nothing was taken yet.
    saga.failure_code = "order_closed_unpaid";
    return StepOutcome::Next(
        SagaStep::kReleaseBooking,
        absl::StrCat("the order became ", ToAbsl(OrderStatusName(view.status))));
  }
  // Staff took the money in hand: nothing a card tester or a stolen card could do. A resumed
  // saga has lost the request's method; its payment still has it.
  bool cash = input_.method == kCashMethod;
  if (!cash && !input_.card) {
    absl::StatusOr<PaymentView> paid = ports_.payments.GetPayment(saga.payment_id);
    if (!paid.ok() && Retriable(paid.status())) return StepOutcome::Retry(paid.status());
    cash = paid.ok() && paid->method == kCashMethod;
  }
  if (cash) {
    // Written with the order's version, so an order closed meanwhile (its trip cancelled while
    // the seats were confirmed) is read again and released before any cash is captured.
    StepOutcome outcome = StepOutcome::Next(SagaStep::kCapture, "cash taken at the counter");
    outcome.order_changed = true;
    return outcome;
  }
  if (!ports_.fraud_policy.screening) return StepOutcome::Next(SagaStep::kCapture, "not screened");
  // The facts fraud cannot know: what the card and the trip are. Without them the step tries
  // again later, as any step whose service does not answer.
  absl::StatusOr<TripSeats> trip = SeatsOf(ports_.inventory, view);
  if (!trip.ok() && Retriable(trip.status())) return StepOutcome::Retry(trip.status());
  if (!trip.ok()) trip = TripSeats{};  // unknown: the signals that need it say nothing
  absl::StatusOr<fraud::Assessment> assessed = Assess(saga, order, trip->capacity);
  if (!assessed.ok()) return StepOutcome::Retry(assessed.status());
  fraud::Assessment& assessment = *assessed;
  const absl::Time now = ports_.clock.Now();
  absl::Time review_deadline = absl::InfinitePast();
  if (assessment.decision == fraud::Decision::kReview) {
    absl::StatusOr<absl::Time> held = HoldForReview(order, assessment, *trip, now);
    if (!held.ok()) return StepOutcome::Retry(held.status());
    review_deadline = *held;
  }
  view.risk = OrderRisk{.assessment = assessment};
  const std::string detail =
      absl::StrCat(ToAbsl(fraud::DecisionName(assessment.decision)), " (score ", assessment.score,
                   assessment.fallback ? ", fallback)" : ")");
  StepOutcome outcome = StepOutcome::Next(SagaStep::kCapture, detail);
  switch (assessment.decision) {
    case fraud::Decision::kAllow:
      break;
    case fraud::Decision::kDeny:
      saga.failure_code = "risk_declined";
      outcome = StepOutcome::Next(SagaStep::kReleaseBooking, detail);
      break;
    case fraud::Decision::kReview:
      view.status = OrderStatus::kUnderReview;
      view.risk->review_deadline = review_deadline;
      outcome = StepOutcome::Next(SagaStep::kAwaitReview, detail);
      break;
  }
  outcome.order_changed = true;
  outcome.event = kOrderRiskAssessed.Make(
      RiskChangedOf(view), events::HeaderNow(ports_.ids, ports_.clock, view.id, view.org_id));
  return outcome;
}

StepOutcome BookingSaga::AwaitReview(SagaRecord& saga, OrderRecord& order) {
  OrderView& view = order.view;
  if (view.status != OrderStatus::kUnderReview || !view.risk) {
    // Closed while under review (its trip cancelled): nothing was taken yet.
    saga.failure_code = "order_closed_unpaid";
    return StepOutcome::Next(
        SagaStep::kReleaseBooking,
        absl::StrCat("the order became ", ToAbsl(OrderStatusName(view.status))));
  }
  OrderRisk& risk = *view.risk;
  if (risk.verdict == "approved") {
    return StepOutcome::Next(SagaStep::kCapture, "approved by " + risk.reviewer);
  }
  if (risk.verdict == "rejected") {
    saga.failure_code = "risk_rejected";
    return StepOutcome::Next(SagaStep::kReleaseBooking, "rejected by " + risk.reviewer);
  }
  const absl::Time now = ports_.clock.Now();
  if (now < risk.review_deadline) {
    // Fenced by the order: a decision or a cancelled trip written meanwhile is seen at once.
    StepOutcome wait =
        StepOutcome::Wait(risk.review_deadline, "waiting for staff to review the order");
    wait.order_changed = true;
    return wait;
  }
  // Undecided in time: treated as rejected, and recorded as such.
  risk.verdict = "expired";
  risk.reviewed_at = now;
  saga.failure_code = "review_expired";
  StepOutcome outcome =
      StepOutcome::Next(SagaStep::kReleaseBooking, "no one reviewed the order in time");
  outcome.order_changed = true;
  outcome.event = kOrderReviewed.Make(
      RiskChangedOf(view), events::HeaderNow(ports_.ids, ports_.clock, view.id, view.org_id));
  return outcome;
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
  if (view.status != OrderStatus::kPendingPayment && view.status != OrderStatus::kUnderReview) {
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
  if (order.view.status == OrderStatus::kPendingPayment ||
      order.view.status == OrderStatus::kUnderReview) {
    order.view.status = OrderStatus::kExpired;
    outcome.order_changed = true;
    outcome.event = kOrderExpired.Make(
        {.order_id = order.view.id, .reason = saga.failure_code},
        events::HeaderNow(ports_.ids, ports_.clock, order.view.id, order.view.org_id));
  }
  return outcome;
}

}  // namespace travio::order
