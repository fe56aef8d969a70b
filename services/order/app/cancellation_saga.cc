#include "services/order/app/cancellation_saga.h"

#include <set>

#include "platform/base/errors.h"
#include "services/order/api/order_events.h"
#include "services/order/app/booking_saga.h"

namespace travio::order {

StepOutcome CancellationSaga::Run(SagaRecord& saga, OrderRecord& order) {
  auto quote = ports_.store.FindQuote(saga.quote_id);
  if (!quote.ok()) return StepOutcome::Retry(quote.status());
  if (!*quote) {
    saga.failure_code = "quote_not_found";
    return StepOutcome::End(SagaStatus::kFailed, "quote_not_found");
  }
  const CancelQuote& quoted = (*quote)->quote;
  const OrderView& view = order.view;
  switch (saga.step) {
    case SagaStep::kFreeSeats: {
      auto freed = ports_.inventory.CancelBooking(view.trip_id, saga.booking_id, quoted.seats);
      if (!freed.ok() && Retriable(freed.status())) return StepOutcome::Retry(freed.status());
      // invalid_seats: an earlier run of this saga freed them before it could log so. Any
      // other refusal (a booking inventory does not know, a call it does not allow) freed
      // nothing, so nothing is refunded: money never leaves for seats still sold.
      if (!freed.ok() && !IsReason(freed.status(), reasons::kInvalidSeats)) {
        ports_.logger.Error("seats of a cancellation could not be freed",
                            {{"order_id", view.id}, {"error", freed.status().ToString()}});
        saga.failure_code = ReasonOf(freed.status());
        return StepOutcome::End(SagaStatus::kFailed, freed.status().ToString());
      }
      return StepOutcome::Next(
          quoted.refund.amount > 0 ? SagaStep::kRefund : SagaStep::kCloseCancellation,
          freed.ok() ? "" : freed.status().ToString());
    }
    case SagaStep::kRefund: {
      auto refunded =
          ports_.payments.Refund(saga.payment_id, quoted.refund.amount, quoted.quote_id,
                                 quoted.tier == "trip_cancelled" ? "trip_cancelled" : "cancelled");
      if (!refunded.ok() && Retriable(refunded.status())) {
        return StepOutcome::Retry(refunded.status());
      }
      if (!refunded.ok()) {
        ports_.logger.Error("a refund was refused",
                            {{"order_id", view.id}, {"error", refunded.status().ToString()}});
        return StepOutcome::Next(SagaStep::kCloseCancellation, refunded.status().ToString());
      }
      return StepOutcome::Next(SagaStep::kCloseCancellation, refunded->id);
    }
    case SagaStep::kCloseCancellation: {
      const std::set<std::string> leaving(quoted.seats.begin(), quoted.seats.end());
      order.view.status = StatusAfterCancelling(view.items, quoted.seats);
      for (OrderItem& item : order.view.items) {
        if (leaving.count(item.seat)) item.status = ItemStatus::kCancelled;
      }
      StepOutcome outcome = StepOutcome::End(SagaStatus::kCompleted);
      outcome.order_changed = true;
      outcome.event =
          kOrderCancelled.Make({.order_id = view.id,
                                .trip_id = view.trip_id,
                                .seats = quoted.seats,
                                .status = order.view.status,
                                .refund = quoted.refund,
                                .tier = quoted.tier},
                               events::HeaderNow(ports_.ids, ports_.clock, view.id, view.org_id));
      return outcome;
    }
    default:
      saga.failure_code = "unknown_step";
      return StepOutcome::End(SagaStatus::kFailed, std::string("not a cancellation step: ") +
                                                       std::string(SagaStepName(saga.step)));
  }
}

}  // namespace travio::order
