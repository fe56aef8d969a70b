// Cancelling seats of a paid order: a quote under the refund policy the order was sold under,
// then the cancellation saga, accepted only on the order as it was quoted.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/order/app/order_service.h"

namespace travio::order {
namespace {

absl::Status CancellationFailed() {
  return Error(reasons::kCancellationFailed,
               "The seats could not be released, so nothing was cancelled or refunded; try again "
               "later or contact the operator.");
}

absl::Status NotCancellable(const OrderView& order) {
  return Error(reasons::kNotCancellable, absl::StrCat("A ", ToAbsl(OrderStatusName(order.status)),
                                                      " order cannot be cancelled."));
}

absl::Status StaleQuote() {
  return Error(reasons::kNotCancellable,
               "The order changed since this quote was made; ask for a new quote.");
}

absl::Status CancellationInProgress() {
  return WithRetryAfter(
      Error(reasons::kCancellationInProgress, "Something else is being done with this order."),
      absl::Seconds(2));
}

}  // namespace

absl::StatusOr<CancelQuote> OrderService::QuoteCancellation(const std::string& buyer,
                                                            const std::string& order_id,
                                                            const std::vector<std::string>& seats) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(buyer, order_id));
  if (!Cancellable(order.view.status)) return NotCancellable(order.view);
  const std::vector<std::string> chosen = seats.empty() ? ActiveSeats(order.view.items) : seats;
  TRAVIO_ASSIGN_OR_RETURN(int64_t paid, PriceOfSeats(order.view.items, chosen));
  TRAVIO_ASSIGN_OR_RETURN(RefundPolicy policy, PolicyOf(order));
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(RefundQuote refund,
                          QuoteRefund(policy, paid, order.view.departs_at, now));
  const std::string& currency = order.view.total.currency;
  QuoteRecord record{
      .quote = {.quote_id = ports_.ids.NewId(),
                .order_id = order.view.id,
                .seats = chosen,
                .refund = {refund.refund, currency},
                .fee = {refund.fee, currency},
                .tier = refund.tier,
                .percent = refund.percent,
                // A quote ends with its tier: kept past it, it would refund
                // more than the policy allows by then.
                .expires_at = std::min(now + settings_.quote_ttl, refund.valid_until)},
      .buyer = buyer,
      .order_version = order.version,
      .created_at = now};
  TRAVIO_RETURN_IF_ERROR(ports_.store.SaveQuote(record));
  return record.quote;
}

absl::StatusOr<OrderView> OrderService::Cancel(const std::string& buyer,
                                               const std::string& order_id,
                                               const std::string& quote_id) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(buyer, order_id));
  TRAVIO_ASSIGN_OR_RETURN(auto quote, ports_.store.FindQuote(quote_id));
  if (!quote || quote->quote.order_id != order.view.id || quote->buyer != buyer) {
    return Error(reasons::kQuoteNotFound, "No such quote for this order.");
  }
  // A retried cancellation answers with what the first one did.
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas, ports_.store.SagasOfOrder(order.view.id));
  for (const SagaRecord& saga : sagas) {
    if (saga.quote_id != quote_id) continue;
    if (saga.status == SagaStatus::kRunning) {
      return WithRetryAfter(
          Error(reasons::kCancellationInProgress, "The cancellation is under way."),
          absl::Seconds(2));
    }
    if (saga.status == SagaStatus::kFailed) return CancellationFailed();
    return GetOrder(order.view.id);
  }
  if (quote->quote.expires_at <= ports_.clock.Now()) {
    return Error(reasons::kQuoteExpired, "The quote has expired; ask for a new one.");
  }
  if (!Cancellable(order.view.status)) return NotCancellable(order.view);
  if (quote->order_version != order.version) return StaleQuote();
  TRAVIO_ASSIGN_OR_RETURN(SagaRecord saga, StartCancellation(*quote));
  if (saga.status == SagaStatus::kRunning) {
    return WithRetryAfter(Error(reasons::kCancellationPending,
                                "The cancellation is still being processed; look at the order."),
                          absl::Seconds(2));
  }
  if (saga.status == SagaStatus::kFailed) return CancellationFailed();
  return GetOrder(order.view.id);
}

absl::StatusOr<SagaRecord> OrderService::StartCancellation(const QuoteRecord& quote) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadOrder(quote.quote.order_id));
  SagaRecord saga = runner_.NewSaga(ports_.ids.NewId(), order.view.id, SagaKind::kCancellation,
                                    SagaStep::kFreeSeats);
  saga.payment_id = order.payment_id;
  saga.booking_id = order.view.booking_id;
  saga.quote_id = quote.quote.quote_id;
  CancellationSaga steps = Cancellation();
  // Fenced by the version the quote was made on: two quotes of one order never both run, and
  // a seat is never freed or refunded twice.
  auto started = runner_.Start(std::move(saga), quote.order_version, steps);
  if (IsReason(started.status(), reasons::kSagaRunning)) return CancellationInProgress();
  if (IsReason(started.status(), reasons::kOrderChanged)) return StaleQuote();
  return started;
}

}  // namespace travio::order
