// Fraud reviews: the operator's queue of orders held for review, and staff's decision on one.
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/order/api/order_events.h"
#include "services/order/app/order_service.h"

namespace travio::order {
namespace {

absl::Status NotUnderReview(std::string_view why) {
  return Error(reasons::kNotUnderReview, std::string(why));
}

}  // namespace

absl::StatusOr<OrderPage> OrderService::OrdersUnderReview(const std::string& org_id, int limit,
                                                          const std::string& cursor) {
  if (org_id.empty()) return Error(reasons::kOrgRequired, "Name an organization.");
  TRAVIO_RETURN_IF_ERROR(CheckPage(limit, cursor));
  TRAVIO_ASSIGN_OR_RETURN(
      std::vector<OrderRecord> found,
      ports_.store.OrdersOfOrgIn(OrderStatus::kUnderReview, org_id, limit + 1, cursor));
  OrderPage page;
  for (OrderRecord& order : found) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    // Staff see what is reserved on the card: the authorized payment.
    TRAVIO_ASSIGN_OR_RETURN(OrderView view, WithMoney(std::move(order.view)));
    page.items.push_back(std::move(view));
  }
  return page;
}

absl::StatusOr<OrderView> OrderService::DecideReview(const std::string& org_id,
                                                     const std::string& order_id, bool approve,
                                                     const std::string& reviewer) {
  if (org_id.empty()) return Error(reasons::kOrgRequired, "Name an organization.");
  // Written once: a saga parking at the review, or a trip cancelled meanwhile, changes the
  // order's version without deciding anything, and the decision is read again on top of it.
  absl::Status written;
  for (int attempt = 0; attempt < 5; ++attempt) {
    TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadOrder(order_id));
    // Another operator's order is no order at all to this one.
    if (order.view.org_id != org_id) return Error(reasons::kOrderNotFound, "No such order.");
    if (order.view.status != OrderStatus::kUnderReview || !order.view.risk ||
        !order.view.risk->verdict.empty()) {
      return NotUnderReview(absl::StrCat("The order is ",
                                         ToAbsl(OrderStatusName(order.view.status)),
                                         ", not waiting for a review."));
    }
    if (order.view.buyer == reviewer) {
      return Error(reasons::kForbidden, "Staff may not decide the review of their own order.");
    }
    const absl::Time now = ports_.clock.Now();
    if (now >= order.view.risk->review_deadline || now >= order.view.departs_at) {
      return NotUnderReview("The review's time has passed: the order is being released.");
    }
    OrderRisk& risk = *order.view.risk;
    risk.verdict = approve ? "approved" : "rejected";
    risk.reviewer = reviewer;
    risk.reviewed_at = now;
    order.view.updated_at = now;
    ++order.version;
    written = ports_.store.UpdateOrder(
        order, kOrderReviewed.Make(RiskChangedOf(order.view), EventHeader(order.view)));
    if (!IsReason(written, reasons::kOrderChanged)) break;
  }
  TRAVIO_RETURN_IF_ERROR(written);
  // The saga waiting for the decision goes on now: capture and confirm, or release and void.
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas, ports_.store.SagasOfOrder(order_id));
  for (const SagaRecord& saga : sagas) {
    if (saga.status != SagaStatus::kRunning || saga.kind != SagaKind::kBooking) continue;
    BookingSaga steps = Booking(PaymentInput{});
    auto ran = runner_.ResumeNow(saga.id, steps);
    if (!ran.ok()) {
      // The recovery loop finishes it: the decision is recorded.
      ports_.logger.Warn("a reviewed order's saga did not go on at once",
                         {{"order_id", order_id}, {"error", ran.status().ToString()}});
    }
  }
  return GetOrder(order_id);
}

}  // namespace travio::order
