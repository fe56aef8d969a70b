#include "services/order/app/order_service.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/order/domain/order.h"

namespace travio::order {
namespace {

using nlohmann::json;

constexpr char kBooking[] = "booking";
constexpr char kCancellation[] = "cancellation";
constexpr char kRunning[] = "running";

// Booking saga steps.
constexpr char kFraud[] = "fraud";
constexpr char kAuthorize[] = "authorize";
constexpr char kConfirmSeats[] = "confirm_seats";
constexpr char kCapture[] = "capture";
constexpr char kConfirmOrder[] = "confirm_order";
constexpr char kReleaseBooking[] = "release_booking";
constexpr char kVoidPayment[] = "void_payment";
constexpr char kExpireOrder[] = "expire_order";
// Cancellation saga steps.
constexpr char kFreeSeats[] = "free_seats";
constexpr char kRefund[] = "refund";
constexpr char kCloseCancellation[] = "close_cancellation";

absl::Status OrderNotFound() {
  return Error(absl::StatusCode::kNotFound, "order_not_found", "No such order.");
}

absl::Status OrgRequired() {
  return Error(absl::StatusCode::kInvalidArgument, "org_required", "Name an organization.");
}

// Failures worth another try: the other side may answer next time.
bool Retriable(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kResourceExhausted:
      return true;
    case absl::StatusCode::kAborted:
      return ReasonOf(status) != "hold_version_mismatch";
    default:
      return false;
  }
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

bool IsDecline(const std::string& code) {
  return code == "payment_declined" || code == "insufficient_funds";
}

}  // namespace

/// What one step did: go on to `next`, try again (`error`), wait for something outside (until
/// `resume_at` at the latest), or end the saga with `end_status`. `order_changed` writes the
/// order (and `event`) together with the saga.
struct OrderService::StepOutcome {
  enum class Kind { kNext, kRetry, kWait, kEnd };
  Kind kind = Kind::kNext;
  std::string next;
  std::string end_status;
  std::string detail;
  absl::Status error;
  bool order_changed = false;
  events::Event event;
  absl::Time resume_at;

  static StepOutcome Wait(absl::Time until, std::string detail) {
    StepOutcome outcome;
    outcome.kind = Kind::kWait;
    outcome.detail = std::move(detail);
    outcome.resume_at = until;
    return outcome;
  }
  static StepOutcome Next(std::string next, std::string detail = "") {
    return {Kind::kNext, std::move(next), "", std::move(detail), absl::OkStatus(), false, {}, {}};
  }
  static StepOutcome End(std::string status, std::string detail = "") {
    return {Kind::kEnd, "", std::move(status), std::move(detail), absl::OkStatus(), false, {}, {}};
  }
  static StepOutcome Retry(absl::Status error) {
    return {Kind::kRetry, "", "", error.ToString(), std::move(error), false, {}, {}};
  }
};

OrderService::OrderService(Ports ports, OrderSettings settings)
    : ports_(std::move(ports)), settings_(std::move(settings)) {}

events::Event OrderService::OrderEvent(const std::string& type, const OrderView& order,
                                       const std::string& payload) const {
  return events::Event{.id = ports_.ids.NewId(),
                       .type = type,
                       .aggregate_id = order.id,
                       .org_id = order.org_id,
                       .occurred_at = ports_.clock.Now(),
                       .trace_id = "",
                       .payload = payload};
}

absl::StatusOr<OrderRecord> OrderService::LoadOrder(const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto found, ports_.store.FindOrder(order_id));
  if (!found) return OrderNotFound();
  return *std::move(found);
}

absl::StatusOr<OrderRecord> OrderService::LoadBuyersOrder(const std::string& buyer,
                                                          const std::string& order_id) {
  auto order = LoadOrder(order_id);
  if (!order.ok()) return order.status();
  if (order->view.buyer != buyer) return OrderNotFound();
  return order;
}

absl::StatusOr<OrderView> OrderService::WithMoney(OrderView view) {
  TRAVIO_ASSIGN_OR_RETURN(view.payments, ports_.payments.PaymentsOfOrder(view.id));
  TRAVIO_ASSIGN_OR_RETURN(view.refunds, ports_.payments.RefundsOfOrder(view.id));
  return view;
}

// ---- orders ----------------------------------------------------------------------------------

absl::StatusOr<OrderView> OrderService::CreateOrder(const CreateOrderCommand& command) {
  TRAVIO_ASSIGN_OR_RETURN(auto ordered, ports_.store.FindOrderByHold(command.hold_id));
  if (ordered && ordered->view.buyer == command.buyer) {
    return Error(absl::StatusCode::kAlreadyExists, "hold_already_ordered",
                 absl::StrCat("This hold already has order ", ordered->view.id, "."));
  }
  auto hold = ports_.inventory.GetHold(command.buyer, command.hold_id);
  const absl::Time now = ports_.clock.Now();
  if (absl::IsNotFound(hold.status()) || (hold.ok() && hold->expires_at <= now) ||
      ReasonOf(hold.status()) == "hold_expired") {
    return Error(absl::StatusCode::kFailedPrecondition, "hold_expired",
                 "The hold has expired or was released; hold the seats again.");
  }
  if (!hold.ok()) return hold.status();
  TRAVIO_RETURN_IF_ERROR(ValidatePassengers(hold->seats, command.passengers, command.contact));
  TRAVIO_ASSIGN_OR_RETURN(absl::Time departs_at,
                          ports_.departures.DepartureAt(hold->org_id, hold->trip_id, hold->from));
  OrderRecord record;
  record.hold_version = hold->version;
  OrderView& view = record.view;
  view.id = ports_.ids.NewId();
  view.status = kPendingPayment;
  view.org_id = hold->org_id;
  view.trip_id = hold->trip_id;
  view.buyer = command.buyer;
  view.hold_id = hold->hold_id;
  view.from = hold->from;
  view.to = hold->to;
  view.departs_at = departs_at;
  view.contact = command.contact;
  view.total = {hold->total.amount, hold->total.currency};
  view.expires_at = hold->expires_at;
  view.created_at = view.updated_at = now;
  for (const auto& [seat, passenger] : command.passengers) {
    auto price = std::find_if(hold->prices.begin(), hold->prices.end(),
                              [&](const inventory::SeatPrice& p) { return p.seat == seat; });
    view.items.push_back(OrderItem{.seat = seat,
                                   .passenger = passenger,
                                   .price = {price->amount, price->currency},
                                   .status = kItemActive});
  }
  std::sort(view.items.begin(), view.items.end(),
            [](const OrderItem& a, const OrderItem& b) { return a.seat < b.seat; });
  const json payload = {{"order_id", view.id},
                        {"trip_id", view.trip_id},
                        {"hold_id", view.hold_id},
                        {"seats", hold->seats},
                        {"amount", view.total.amount},
                        {"currency", view.total.currency},
                        {"expires_at", Rfc3339(view.expires_at)}};
  TRAVIO_RETURN_IF_ERROR(
      ports_.store.CreateOrder(record, OrderEvent("order.created.v1", view, payload.dump())));
  return view;
}

absl::StatusOr<OrderView> OrderService::GetOrder(const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadOrder(order_id));
  return WithMoney(std::move(order.view));
}

absl::StatusOr<OrderPage> OrderService::ListOrders(const std::string& buyer, int limit,
                                                   const std::string& cursor) {
  limit = std::clamp(limit, 1, 200);
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> found,
                          ports_.store.OrdersOfBuyer(buyer, limit + 1, cursor));
  OrderPage page;
  for (OrderRecord& order : found) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(std::move(order.view));
  }
  return page;
}

absl::StatusOr<std::vector<ManifestLine>> OrderService::Manifest(const std::string& org_id,
                                                                 const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> orders,
                          ports_.store.OrdersOnTrip(trip_id, {kConfirmed, kPartiallyCancelled}));
  std::vector<ManifestLine> lines;
  for (const OrderRecord& order : orders) {
    if (order.view.org_id != org_id) continue;
    for (const OrderItem& item : order.view.items) {
      if (item.status != kItemActive) continue;
      lines.push_back({order.view.id, item.seat, item.passenger, order.view.from, order.view.to,
                       order.view.contact.phone});
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const ManifestLine& a, const ManifestLine& b) { return a.seat < b.seat; });
  return lines;
}

// ---- refund policies -------------------------------------------------------------------------

absl::StatusOr<RefundPolicyView> OrderService::GetRefundPolicy(const std::string& org_id) {
  if (org_id.empty()) return OrgRequired();
  TRAVIO_ASSIGN_OR_RETURN(std::optional<RefundPolicy> own, ports_.policies.Find(org_id));
  if (!own) return RefundPolicyView{.policy = DefaultRefundPolicy(), .is_default = true};
  return RefundPolicyView{.policy = *std::move(own), .is_default = false};
}

absl::StatusOr<RefundPolicyView> OrderService::SetRefundPolicy(const std::string& org_id,
                                                               const RefundPolicy& policy) {
  if (org_id.empty()) return OrgRequired();
  TRAVIO_RETURN_IF_ERROR(ValidateRefundPolicy(policy));
  TRAVIO_RETURN_IF_ERROR(ports_.policies.Put(org_id, policy, ports_.clock.Now()));
  return RefundPolicyView{.policy = policy, .is_default = false};
}

// ---- paying ----------------------------------------------------------------------------------

absl::StatusOr<PayResult> OrderService::Pay(const PayCommand& command) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(command.buyer, command.order_id));
  const absl::Time now = ports_.clock.Now();
  if (order.view.status == kExpired ||
      (order.view.status == kPendingPayment && order.view.expires_at <= now)) {
    return Error(absl::StatusCode::kFailedPrecondition, "order_expired",
                 "The order expired before it was paid; its seats are released.");
  }
  if (order.view.status != kPendingPayment) {
    return Error(absl::StatusCode::kFailedPrecondition, "order_not_payable",
                 absl::StrCat("The order is ", order.view.status, "."));
  }
  PaymentInput input{.method = command.method, .card = std::nullopt};
  if (command.method == "card") {
    TRAVIO_RETURN_IF_ERROR(payment::ValidateCard(command.card, now));
    input.card = command.card;
  } else if (command.method != "redirect") {
    return WithFieldErrors(Error(absl::StatusCode::kInvalidArgument, "validation_failed",
                                 "The payment method is invalid."),
                           {{"method.type", "card or redirect"}});
  }
  SagaRecord saga{.id = ports_.ids.NewId(),
                  .order_id = order.view.id,
                  .kind = kBooking,
                  .status = kRunning,
                  .step = kFraud,
                  .payment_id = "",
                  .booking_id = "",
                  .quote_id = "",
                  .failure_code = "",
                  .attempts = 0,
                  .lease_owner = settings_.instance_id,
                  .lease_until = now + settings_.saga_lease,
                  .resume_at = now,
                  .created_at = now,
                  .updated_at = now};
  const absl::Status started = ports_.store.StartSaga(saga, {0, "saga", "started", kBooking, now});
  if (ReasonOf(started) == "saga_running") {
    return WithRetryAfter(Error(absl::StatusCode::kFailedPrecondition, "payment_in_progress",
                                "A payment of this order is being processed."),
                          absl::Seconds(2));
  }
  TRAVIO_RETURN_IF_ERROR(started);
  TRAVIO_ASSIGN_OR_RETURN(saga, Run(std::move(saga), input));
  if (saga.status == kRunning && !saga.payment_id.empty()) {
    // A redirect payment: the traveller finishes it on the provider's page.
    TRAVIO_ASSIGN_OR_RETURN(PaymentView pending, ports_.payments.GetPayment(saga.payment_id));
    if (pending.status == "pending") {
      TRAVIO_ASSIGN_OR_RETURN(OrderView view, GetOrder(order.view.id));
      return PayResult{.payment = std::move(pending), .order = std::move(view)};
    }
  }
  if (saga.status == kRunning) {
    return WithRetryAfter(Error(absl::StatusCode::kUnavailable, "payment_pending",
                                "The payment is still being processed; look at the order."),
                          absl::Seconds(2));
  }
  if (saga.status == "failed") {
    if (IsDecline(saga.failure_code)) {
      return Error(absl::StatusCode::kFailedPrecondition, "payment_declined",
                   saga.failure_code == "insufficient_funds"
                       ? "The card was declined for insufficient funds; the order can still be "
                         "paid until it expires."
                       : "The card was declined; the order can still be paid until it expires.");
    }
    if (saga.failure_code == "fraud_rejected") {
      return Error(absl::StatusCode::kPermissionDenied, "fraud_rejected",
                   "This order cannot be paid.");
    }
    return Error(absl::StatusCode::kFailedPrecondition, saga.failure_code,
                 "The payment did not go through.");
  }
  if (saga.status == "compensated") {
    if (saga.failure_code == "seats_unavailable") {
      return Error(absl::StatusCode::kAlreadyExists, "seats_unavailable",
                   "The seats were sold meanwhile; the payment was voided.");
    }
    return Error(absl::StatusCode::kFailedPrecondition, "hold_expired",
                 "The hold expired before the seats were confirmed; the payment was voided.");
  }
  // The order's view lists its payments: the captured one is among them.
  TRAVIO_ASSIGN_OR_RETURN(OrderView view, GetOrder(order.view.id));
  for (const PaymentView& paid : view.payments) {
    if (paid.id == saga.payment_id) return PayResult{.payment = paid, .order = std::move(view)};
  }
  return absl::InternalError("a confirmed order does not list its payment");
}

// ---- cancelling ------------------------------------------------------------------------------

absl::StatusOr<CancelQuote> OrderService::QuoteCancellation(const std::string& buyer,
                                                            const std::string& order_id,
                                                            const std::vector<std::string>& seats) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(buyer, order_id));
  if (order.view.status != kConfirmed && order.view.status != kPartiallyCancelled) {
    return Error(absl::StatusCode::kFailedPrecondition, "not_cancellable",
                 absl::StrCat("A ", order.view.status, " order cannot be cancelled."));
  }
  const std::vector<std::string> chosen = seats.empty() ? ActiveSeats(order.view) : seats;
  TRAVIO_ASSIGN_OR_RETURN(int64_t paid, PriceOfSeats(order.view, chosen));
  TRAVIO_ASSIGN_OR_RETURN(RefundPolicy policy, ports_.policies.For(order.view.org_id));
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(RefundQuote refund,
                          QuoteRefund(policy, paid, order.view.departs_at, now));
  const std::string& currency = order.view.total.currency;
  QuoteRecord record{.quote = {.quote_id = ports_.ids.NewId(),
                               .order_id = order.view.id,
                               .seats = chosen,
                               .refund = {refund.refund, currency},
                               .fee = {refund.fee, currency},
                               .tier = refund.tier,
                               .percent = refund.percent,
                               .expires_at = now + settings_.quote_ttl},
                     .buyer = buyer,
                     .created_at = now};
  TRAVIO_RETURN_IF_ERROR(ports_.store.SaveQuote(record));
  return record.quote;
}

absl::StatusOr<OrderView> OrderService::Cancel(const std::string& buyer,
                                               const std::string& order_id,
                                               const std::string& quote_id) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadBuyersOrder(buyer, order_id));
  TRAVIO_ASSIGN_OR_RETURN(auto quote, ports_.store.FindQuote(quote_id));
  if (!quote || quote->quote.order_id != order.view.id) {
    return Error(absl::StatusCode::kNotFound, "quote_not_found", "No such quote for this order.");
  }
  // A retried cancellation answers with what the first one did.
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas, ports_.store.SagasOfOrder(order.view.id));
  for (const SagaRecord& saga : sagas) {
    if (saga.quote_id != quote_id) continue;
    if (saga.status == kRunning) {
      return WithRetryAfter(Error(absl::StatusCode::kFailedPrecondition, "cancellation_in_progress",
                                  "The cancellation is under way."),
                            absl::Seconds(2));
    }
    return GetOrder(order.view.id);
  }
  if (quote->quote.expires_at <= ports_.clock.Now()) {
    return Error(absl::StatusCode::kFailedPrecondition, "quote_expired",
                 "The quote has expired; ask for a new one.");
  }
  if (order.view.status != kConfirmed && order.view.status != kPartiallyCancelled) {
    return Error(absl::StatusCode::kFailedPrecondition, "not_cancellable",
                 absl::StrCat("A ", order.view.status, " order cannot be cancelled."));
  }
  if (!PriceOfSeats(order.view, quote->quote.seats).ok()) {
    return Error(absl::StatusCode::kFailedPrecondition, "not_cancellable",
                 "Some seats of the quote are no longer in the order; ask for a new quote.");
  }
  TRAVIO_ASSIGN_OR_RETURN(SagaRecord saga, StartCancellation(order, *quote));
  if (saga.status == kRunning) {
    return WithRetryAfter(Error(absl::StatusCode::kUnavailable, "cancellation_pending",
                                "The cancellation is still being processed; look at the order."),
                          absl::Seconds(2));
  }
  return GetOrder(order.view.id);
}

absl::StatusOr<SagaRecord> OrderService::StartCancellation(const OrderRecord& order,
                                                           const QuoteRecord& quote) {
  const absl::Time now = ports_.clock.Now();
  SagaRecord saga{.id = ports_.ids.NewId(),
                  .order_id = order.view.id,
                  .kind = kCancellation,
                  .status = kRunning,
                  .step = kFreeSeats,
                  .payment_id = order.payment_id,
                  .booking_id = order.view.booking_id,
                  .quote_id = quote.quote.quote_id,
                  .failure_code = "",
                  .attempts = 0,
                  .lease_owner = settings_.instance_id,
                  .lease_until = now + settings_.saga_lease,
                  .resume_at = now,
                  .created_at = now,
                  .updated_at = now};
  const absl::Status started =
      ports_.store.StartSaga(saga, {0, "saga", "started", kCancellation, now});
  if (ReasonOf(started) == "saga_running") {
    return WithRetryAfter(Error(absl::StatusCode::kFailedPrecondition, "cancellation_in_progress",
                                "Something else is being done with this order."),
                          absl::Seconds(2));
  }
  TRAVIO_RETURN_IF_ERROR(started);
  return Run(std::move(saga), PaymentInput{});
}

absl::Status OrderService::OnTripCancelled(const events::Event& event) {
  std::string trip_id = event.aggregate_id;
  try {
    const json payload = json::parse(event.payload);
    if (payload.contains("id")) trip_id = payload.at("id").get<std::string>();
  } catch (const json::exception&) {
    ports_.logger.Warn("a trip.cancelled.v1 event does not parse", {{"event_id", event.id}});
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(
      std::vector<OrderRecord> orders,
      ports_.store.OrdersOnTrip(trip_id, {kConfirmed, kPartiallyCancelled, kPendingPayment}));
  const absl::Time now = ports_.clock.Now();
  for (OrderRecord& order : orders) {
    if (order.view.status == kPendingPayment) {
      // Its hold went with the trip; a saga paying it will find the hold gone and void.
      order.view.status = kExpired;
      order.view.updated_at = now;
      ++order.version;
      const absl::Status expired = ports_.store.UpdateOrder(
          order,
          OrderEvent("order.expired.v1", order.view,
                     json{{"order_id", order.view.id}, {"reason", "trip_cancelled"}}.dump()));
      if (!expired.ok() && ReasonOf(expired) != "order_changed") return expired;
      continue;
    }
    const std::vector<std::string> seats = ActiveSeats(order.view);
    TRAVIO_ASSIGN_OR_RETURN(int64_t paid, PriceOfSeats(order.view, seats));
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
    quote.created_at = now;
    TRAVIO_RETURN_IF_ERROR(ports_.store.SaveQuote(quote));
    auto saga = StartCancellation(order, quote);
    // A redelivered event finds the order already being cancelled.
    if (!saga.ok() && ReasonOf(saga.status()) != "cancellation_in_progress") return saga.status();
  }
  return absl::OkStatus();
}

absl::Status OrderService::OnPaymentSettled(const events::Event& event) {
  const json payload = json::parse(event.payload, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object() || !payload.contains("payment_id") ||
      !payload.at("payment_id").is_string()) {
    ports_.logger.Warn("a payment event names no payment", {{"event_id", event.id}});
    return absl::OkStatus();
  }
  TRAVIO_ASSIGN_OR_RETURN(
      auto saga, ports_.store.RunningSagaOfPayment(payload.at("payment_id").get<std::string>()));
  if (!saga) return absl::OkStatus();
  return ports_.store.WakeSaga(saga->id, ports_.clock.Now());
}

// ---- background work -------------------------------------------------------------------------

absl::StatusOr<int> OrderService::ResumeSagas() {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> sagas, ports_.store.Resumable(now, 20));
  int resumed = 0;
  for (SagaRecord& saga : sagas) {
    const absl::Time lease_until = now + settings_.saga_lease;
    TRAVIO_ASSIGN_OR_RETURN(
        bool claimed, ports_.store.ClaimSaga(saga.id, settings_.instance_id, lease_until, now));
    if (!claimed) continue;
    saga.lease_owner = settings_.instance_id;
    saga.lease_until = lease_until;
    ports_.logger.Info("resuming a saga",
                       {{"saga_id", saga.id}, {"order_id", saga.order_id}, {"step", saga.step}});
    auto ran = Run(std::move(saga), PaymentInput{});
    if (!ran.ok()) {
      ports_.logger.Warn("a resumed saga stopped", {{"error", ran.status().ToString()}});
    }
    ++resumed;
  }
  return resumed;
}

absl::StatusOr<int> OrderService::ExpireOverdue() {
  const absl::Time now = ports_.clock.Now();
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> overdue, ports_.store.Overdue(now, 100));
  int expired = 0;
  for (OrderRecord& order : overdue) {
    order.view.status = kExpired;
    order.view.updated_at = now;
    ++order.version;
    const absl::Status written = ports_.store.UpdateOrder(
        order, OrderEvent("order.expired.v1", order.view,
                          json{{"order_id", order.view.id}, {"reason", "not_paid"}}.dump()));
    if (ReasonOf(written) == "order_changed") continue;  // a saga got to it first
    TRAVIO_RETURN_IF_ERROR(written);
    // The hold has expired too (same deadline); releasing it frees the seats without waiting
    // for inventory's sweep. Best effort: the sweep frees them anyway.
    (void)ports_.inventory.ReleaseHold(order.view.buyer, order.view.hold_id);
    ++expired;
  }
  return expired;
}

// ---- the saga runner -------------------------------------------------------------------------

void OrderService::CrashPoint(const std::string& step, const char* when) const {
  if (settings_.crash_at.empty() || settings_.crash_at != absl::StrCat(step, ":", when)) return;
  ports_.logger.Error("test hook: killing the process in a saga", {{"step", step}, {"when", when}});
  ::kill(::getpid(), SIGKILL);
}

absl::StatusOr<SagaRecord> OrderService::Run(SagaRecord saga, const PaymentInput& input) {
  const std::string owner = settings_.instance_id;
  int tries = 0;
  // Read once; again only when a write found it changed by someone else (its version).
  std::optional<OrderRecord> loaded;
  while (saga.status == kRunning) {
    if (!loaded) {
      TRAVIO_ASSIGN_OR_RETURN(loaded, LoadOrder(saga.order_id));
    }
    OrderRecord& order = *loaded;
    const std::string step = saga.step;
    absl::Time now = ports_.clock.Now();
    saga.lease_until = now + settings_.saga_lease;
    saga.updated_at = now;
    TRAVIO_ASSIGN_OR_RETURN(bool mine,
                            ports_.store.SaveSaga(saga, {0, step, "started", "", now}, owner));
    if (!mine) return saga;
    CrashPoint(step, "before");
    StepOutcome outcome =
        saga.kind == kBooking ? BookingStep(saga, order, input) : CancellationStep(saga, order);
    CrashPoint(step, "after");
    now = ports_.clock.Now();
    saga.updated_at = now;
    if (outcome.kind == StepOutcome::Kind::kRetry) {
      ++tries;
      ++saga.attempts;
      const absl::Duration wait =
          std::min(settings_.max_backoff, settings_.backoff * (1 << std::min(saga.attempts, 16)));
      if (tries < settings_.tries_per_run) {
        TRAVIO_ASSIGN_OR_RETURN(
            mine, ports_.store.SaveSaga(saga, {0, step, "retrying", outcome.detail, now}, owner));
        if (!mine) return saga;
        std::this_thread::sleep_for(absl::ToChronoMilliseconds(wait));
        continue;
      }
      // Parked: the lease is given up so the recovery loop resumes it after `wait`.
      saga.resume_at = now + wait;
      saga.lease_until = now;
      TRAVIO_ASSIGN_OR_RETURN(
          mine, ports_.store.SaveSaga(saga, {0, step, "parked", outcome.detail, now}, owner));
      return saga;
    }
    if (outcome.kind == StepOutcome::Kind::kWait) {
      // Parked until woken (a webhook) or `resume_at`; the lease is given up.
      saga.resume_at = outcome.resume_at;
      saga.lease_until = now;
      TRAVIO_ASSIGN_OR_RETURN(
          mine, ports_.store.SaveSaga(saga, {0, step, "waiting", outcome.detail, now}, owner));
      return saga;
    }
    tries = 0;
    saga.attempts = 0;
    std::string result = "succeeded";
    if (outcome.kind == StepOutcome::Kind::kNext) {
      saga.step = outcome.next;
    } else {
      saga.status = outcome.end_status;
      result = outcome.end_status;
    }
    const SagaLogEntry entry{0, step, result, outcome.detail, now};
    if (!outcome.order_changed) {
      TRAVIO_ASSIGN_OR_RETURN(mine, ports_.store.SaveSaga(saga, entry, owner));
      if (!mine) return saga;
      continue;
    }
    ++order.version;
    order.view.updated_at = now;
    auto saved = ports_.store.SaveSagaAndOrder(saga, entry, owner, order, outcome.event);
    if (ReasonOf(saved.status()) == "order_changed") {
      // Someone else changed the order meanwhile (the expiry); the step runs again on it.
      saga.status = kRunning;
      saga.step = step;
      loaded.reset();
      continue;
    }
    if (!saved.ok()) return saved.status();
    if (!*saved) return saga;
  }
  return saga;
}

OrderService::StepOutcome OrderService::BookingStep(SagaRecord& saga, OrderRecord& order,
                                                    const PaymentInput& input) {
  const OrderView& view = order.view;
  if (saga.step == kFraud) {
    auto allowed = ports_.fraud.Allow(view);
    if (!allowed.ok()) return StepOutcome::Retry(allowed.status());
    if (!*allowed) {
      saga.failure_code = "fraud_rejected";
      return StepOutcome::End("failed", "fraud_rejected");
    }
    return StepOutcome::Next(kAuthorize);
  }
  if (saga.step == kAuthorize) {
    auto paid = ports_.payments.Authorize({.key = saga.id,
                                           .order_id = view.id,
                                           .org_id = view.org_id,
                                           .payer = view.buyer,
                                           .amount = view.total,
                                           .method = input.method,
                                           .card = input.card});
    if (!paid.ok() && Retriable(paid.status())) return StepOutcome::Retry(paid.status());
    if (!paid.ok()) {
      // The payment never started (a crash before it was recorded) or the card was refused.
      saga.failure_code =
          absl::IsNotFound(paid.status()) ? "payment_interrupted" : ReasonOf(paid.status());
      return StepOutcome::End("failed", paid.status().ToString());
    }
    saga.payment_id = paid->id;
    if (paid->status == "failed") {
      saga.failure_code = paid->failure_code;
      return StepOutcome::End("failed", paid->failure_code);
    }
    if (paid->status == "pending") {
      // On the provider's page: its webhook wakes the saga; the order's deadline ends the wait.
      if (ports_.clock.Now() >= view.expires_at) {
        saga.failure_code = "payment_timeout";
        return StepOutcome::Next(kVoidPayment, "the traveller did not finish paying in time");
      }
      return StepOutcome::Wait(view.expires_at, paid->id);
    }
    return StepOutcome::Next(kConfirmSeats, paid->id);
  }
  if (saga.step == kConfirmSeats) {
    auto booked =
        ports_.inventory.ConfirmHold(view.buyer, view.trip_id, view.hold_id, order.hold_version);
    if (!booked.ok() && Retriable(booked.status())) return StepOutcome::Retry(booked.status());
    if (!booked.ok()) {
      saga.failure_code = ReasonOf(booked.status());
      if (saga.failure_code.empty()) saga.failure_code = "hold_expired";
      return StepOutcome::Next(kVoidPayment, booked.status().ToString());
    }
    saga.booking_id = booked->id;
    return StepOutcome::Next(kCapture, booked->id);
  }
  if (saga.step == kCapture) {
    auto captured = ports_.payments.Capture(saga.payment_id);
    if (!captured.ok() && !Retriable(captured.status())) {
      // The authorization is gone (it lapsed at the provider): the seats cannot stay unpaid.
      saga.failure_code = "capture_refused";
      return StepOutcome::Next(kReleaseBooking, captured.status().ToString());
    }
    if (!captured.ok()) return StepOutcome::Retry(captured.status());
    return StepOutcome::Next(kConfirmOrder);
  }
  if (saga.step == kConfirmOrder) {
    order.view.status = kConfirmed;
    order.view.booking_id = saga.booking_id;
    order.payment_id = saga.payment_id;
    StepOutcome outcome = StepOutcome::End("completed");
    std::vector<std::string> seats;
    for (const OrderItem& item : order.view.items) seats.push_back(item.seat);
    outcome.order_changed = true;
    outcome.event = OrderEvent("order.confirmed.v1", order.view,
                               json{{"order_id", view.id},
                                    {"trip_id", view.trip_id},
                                    {"booking_id", saga.booking_id},
                                    {"payment_id", saga.payment_id},
                                    {"seats", seats},
                                    {"from", view.from},
                                    {"to", view.to},
                                    {"amount", view.total.amount},
                                    {"currency", view.total.currency},
                                    {"email", view.contact.email}}
                                   .dump());
    return outcome;
  }
  // Compensations, in reverse order of the forward steps.
  if (saga.step == kReleaseBooking) {
    auto freed = ports_.inventory.CancelBooking(view.trip_id, saga.booking_id, {});
    if (!freed.ok() && Retriable(freed.status())) return StepOutcome::Retry(freed.status());
    return StepOutcome::Next(kVoidPayment, freed.ok() ? "" : freed.status().ToString());
  }
  if (saga.step == kVoidPayment) {
    if (!saga.payment_id.empty()) {
      auto voided = ports_.payments.Void(saga.payment_id);
      if (!voided.ok() && Retriable(voided.status())) return StepOutcome::Retry(voided.status());
      if (!voided.ok()) {
        ports_.logger.Error(
            "a payment could not be voided",
            {{"payment_id", saga.payment_id}, {"error", voided.status().ToString()}});
      }
    }
    return StepOutcome::Next(kExpireOrder);
  }
  if (saga.step == kExpireOrder) {
    (void)ports_.inventory.ReleaseHold(view.buyer, view.hold_id);
    StepOutcome outcome = StepOutcome::End("compensated", saga.failure_code);
    if (view.status == kPendingPayment) {
      order.view.status = kExpired;
      outcome.order_changed = true;
      outcome.event = OrderEvent("order.expired.v1", order.view,
                                 json{{"order_id", view.id}, {"reason", saga.failure_code}}.dump());
    }
    return outcome;
  }
  saga.failure_code = "unknown_step";
  return StepOutcome::End("failed", "unknown step " + saga.step);
}

OrderService::StepOutcome OrderService::CancellationStep(SagaRecord& saga, OrderRecord& order) {
  auto quote = ports_.store.FindQuote(saga.quote_id);
  if (!quote.ok()) return StepOutcome::Retry(quote.status());
  if (!*quote) {
    saga.failure_code = "quote_not_found";
    return StepOutcome::End("failed", "quote_not_found");
  }
  const CancelQuote& quoted = (*quote)->quote;
  const OrderView& view = order.view;
  if (saga.step == kFreeSeats) {
    auto freed = ports_.inventory.CancelBooking(view.trip_id, saga.booking_id, quoted.seats);
    if (!freed.ok() && Retriable(freed.status())) return StepOutcome::Retry(freed.status());
    // invalid_seats: an earlier run freed them before it could log so.
    return StepOutcome::Next(quoted.refund.amount > 0 ? kRefund : kCloseCancellation,
                             freed.ok() ? "" : freed.status().ToString());
  }
  if (saga.step == kRefund) {
    auto refunded =
        ports_.payments.Refund(saga.payment_id, quoted.refund.amount, quoted.quote_id,
                               quoted.tier == "trip_cancelled" ? "trip_cancelled" : "cancelled");
    if (!refunded.ok() && Retriable(refunded.status())) {
      return StepOutcome::Retry(refunded.status());
    }
    if (!refunded.ok()) {
      ports_.logger.Error("a refund was refused",
                          {{"order_id", view.id}, {"error", refunded.status().ToString()}});
      return StepOutcome::Next(kCloseCancellation, refunded.status().ToString());
    }
    return StepOutcome::Next(kCloseCancellation, refunded->id);
  }
  if (saga.step == kCloseCancellation) {
    const std::set<std::string> leaving(quoted.seats.begin(), quoted.seats.end());
    order.view.status = StatusAfterCancelling(view, quoted.seats);
    for (OrderItem& item : order.view.items) {
      if (leaving.count(item.seat)) item.status = kItemCancelled;
    }
    StepOutcome outcome = StepOutcome::End("completed");
    outcome.order_changed = true;
    outcome.event = OrderEvent("order.cancelled.v1", order.view,
                               json{{"order_id", view.id},
                                    {"trip_id", view.trip_id},
                                    {"seats", quoted.seats},
                                    {"status", order.view.status},
                                    {"refund", quoted.refund.amount},
                                    {"currency", quoted.refund.currency},
                                    {"tier", quoted.tier}}
                                   .dump());
    return outcome;
  }
  saga.failure_code = "unknown_step";
  return StepOutcome::End("failed", "unknown step " + saga.step);
}

}  // namespace travio::order
