// What the order service does on its own: on other services' events (a cancelled trip, a
// settled payment) and in its recovery loop (resumed sagas, unpaid orders expired).
#include <algorithm>

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/events/contract.h"
#include "services/order/api/order_events.h"
#include "services/order/app/order_service.h"

namespace travio::order {

absl::Status OrderService::OnTripCancelled(const catalog::PublishedTrip& trip) {
  // Refunds every order on the trip: only for a trip that says it is cancelled, and only the
  // orders its own operator sold.
  if (trip.status != catalog::TripStatus::kCancelled) {
    ports_.logger.Warn("a trip cancellation of a trip not cancelled was ignored",
                       {{"trip_id", trip.id}});
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> orders,
                          ports_.store.OrdersOnTrip(
                              trip.id, {OrderStatus::kConfirmed, OrderStatus::kPartiallyCancelled,
                                        OrderStatus::kPendingPayment, OrderStatus::kUnderReview}));
  const absl::Time now = ports_.clock.Now();
  bool busy = false;  // some order must be cancelled after what runs on it now
  int expired_orders = 0;
  int refunds_started = 0;
  for (OrderRecord& order : orders) {
    if (order.view.org_id != trip.org_id) {
      ports_.logger.Error("a trip cancellation named another operator's trip; its orders kept",
                          {{"trip_id", trip.id}, {"order_id", order.view.id}});
      continue;
    }
    if (order.view.status == OrderStatus::kPendingPayment ||
        order.view.status == OrderStatus::kUnderReview) {
      // Its hold went with the trip; a saga paying it finds the order closed and gives back
      // whatever it took (one waiting for a review is woken to do so now).
      const bool reviewed = order.view.status == OrderStatus::kUnderReview;
      order.view.status = OrderStatus::kExpired;
      order.view.updated_at = now;
      ++order.version;
      const absl::Status expired = ports_.store.UpdateOrder(
          order, kOrderExpired.Make({.order_id = order.view.id, .reason = "trip_cancelled"},
                                    EventHeader(order.view)));
      if (!expired.ok() && !IsReason(expired, reasons::kOrderChanged)) return expired;
      busy = busy || !expired.ok();
      if (expired.ok()) ++expired_orders;
      if (expired.ok() && reviewed) {
        TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas,
                                ports_.store.SagasOfOrder(order.view.id));
        for (const SagaRecord& saga : sagas) {
          if (saga.status == SagaStatus::kRunning) {
            TRAVIO_RETURN_IF_ERROR(ports_.store.WakeSaga(saga.id, now));
          }
        }
      }
      continue;
    }
    TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas,
                            ports_.store.SagasOfOrder(order.view.id));
    bool ours_runs = false;
    bool other_runs = false;
    for (const SagaRecord& saga : sagas) {
      if (saga.status != SagaStatus::kRunning) continue;
      TRAVIO_ASSIGN_OR_RETURN(auto quote, ports_.store.FindQuote(saga.quote_id));
      (quote && quote->quote.tier == "trip_cancelled" ? ours_runs : other_runs) = true;
    }
    if (ours_runs) continue;  // a redelivered event: this order is being refunded already
    if (other_runs) {
      // A cancellation of some seats is under way; the rest are refunded after it.
      busy = true;
      continue;
    }
    const std::vector<std::string> seats = ActiveSeats(order.view.items);
    TRAVIO_ASSIGN_OR_RETURN(int64_t paid, PriceOfSeats(order.view.items, seats));
    // Field by field: GCC 12 at -O3 misreads the aggregate form (maybe-uninitialized).
    QuoteRecord quote;
    quote.quote.quote_id = ports_.ids.NewId();
    quote.quote.order_id = order.view.id;
    quote.quote.seats = seats;
    quote.quote.refund = {paid, order.view.total.currency};
    quote.quote.fee = {0, order.view.total.currency};
    quote.quote.tier = "trip_cancelled";
    quote.quote.percent = 100;
    quote.quote.expires_at = now + settings_.quote_ttl;
    quote.buyer = order.view.buyer;
    quote.order_version = order.version;
    quote.created_at = now;
    TRAVIO_RETURN_IF_ERROR(ports_.store.SaveQuote(quote));
    auto saga = StartCancellation(quote);
    if (!saga.ok() && (IsReason(saga.status(), reasons::kCancellationInProgress) ||
                       IsReason(saga.status(), reasons::kNotCancellable))) {
      busy = true;  // something started on the order meanwhile: look again later
      continue;
    }
    if (!saga.ok()) return saga.status();
    ++refunds_started;
  }
  ports_.logger.Info("orders of a cancelled trip closed", {{"trip_id", trip.id},
                                                           {"org_id", trip.org_id},
                                                           {"refunds_started", refunds_started},
                                                           {"unpaid_expired", expired_orders},
                                                           {"busy", busy}});
  if (busy) {
    return absl::UnavailableError(
        "some orders of the cancelled trip are busy; they are refunded when the event comes "
        "again");
  }
  return absl::OkStatus();
}

absl::Status OrderService::OnPaymentSettled(const payment::PaymentChanged& payment) {
  TRAVIO_ASSIGN_OR_RETURN(auto saga, ports_.store.RunningSagaOfPayment(payment.payment_id));
  if (!saga) return absl::OkStatus();
  return ports_.store.WakeSaga(saga->id, ports_.clock.Now());
}

absl::StatusOr<int> OrderService::ResumeSagas() {
  BookingSaga booking = Booking(PaymentInput{});
  CancellationSaga cancellation = Cancellation();
  return runner_.ResumeDue(20, [&](const SagaRecord& saga) -> SagaSteps& {
    if (saga.kind == SagaKind::kBooking) return booking;
    return cancellation;
  });
}

absl::Status OrderService::ReportSagaBacklog() {
  if (sagas_running_ == nullptr) return absl::OkStatus();
  TRAVIO_ASSIGN_OR_RETURN(auto backlog, ports_.store.RunningSagaBacklog());
  const absl::Time now = ports_.clock.Now();
  for (const auto& [kind, name] : kSagaKindNames) {
    int64_t count = 0;
    double oldest_seconds = 0;
    for (const OrderStore::RunningSagas& running : backlog) {
      if (running.kind != kind) continue;
      count = running.count;
      oldest_seconds = std::max(0.0, absl::ToDoubleSeconds(now - running.oldest_started));
    }
    const std::string label(name);
    sagas_running_->WithLabels({label}).Set(static_cast<double>(count));
    oldest_saga_running_->WithLabels({label}).Set(oldest_seconds);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> OrderService::ExpireOverdue() {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> overdue, ports_.store.Overdue(now, 100));
  int expired = 0;
  for (OrderRecord& order : overdue) {
    order.view.status = OrderStatus::kExpired;
    order.view.updated_at = now;
    ++order.version;
    const absl::Status written = ports_.store.UpdateOrder(
        order, kOrderExpired.Make({.order_id = order.view.id, .reason = "not_paid"},
                                  EventHeader(order.view)));
    if (IsReason(written, reasons::kOrderChanged)) continue;  // a saga got to it first
    TRAVIO_RETURN_IF_ERROR(written);
    // The hold has expired too (same deadline); releasing it frees the seats without waiting
    // for inventory's sweep. Best effort: the sweep frees them anyway.
    (void)ports_.inventory.ReleaseHold(order.view.buyer, order.view.hold_id);
    ++expired;
  }
  return expired;
}

void FollowEvents(events::Bus& bus, const std::shared_ptr<OrderService>& service) {
  events::Subscribe<catalog::PublishedTrip>(
      bus, "order", catalog::kTripCancelled, service->logger(),
      [service](const events::Event& event, const catalog::PublishedTrip& trip) {
        // The envelope and the payload name the same operator, or the event is not believed.
        if (event.org_id != trip.org_id) {
          service->logger().Error("a trip event whose envelope and payload disagree was dropped",
                                  {{"event_id", event.id}, {"trip_id", trip.id}});
          return absl::OkStatus();
        }
        return service->OnTripCancelled(trip);
      });
  for (const auto* contract :
       {&payment::kPaymentAuthorized, &payment::kPaymentFailed, &payment::kPaymentVoided}) {
    events::Subscribe<payment::PaymentChanged>(
        bus, "order", *contract, service->logger(),
        [service](const events::Event&, const payment::PaymentChanged& payment) {
          return service->OnPaymentSettled(payment);
        });
  }
}

}  // namespace travio::order
