// Creating and reading orders, and the operators' refund policies.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "services/order/api/order_events.h"
#include "services/order/app/order_service.h"

namespace travio::order {
namespace {

absl::Status OrderNotFound() { return Error(reasons::kOrderNotFound, "No such order."); }

absl::Status OrgRequired() { return Error(reasons::kOrgRequired, "Name an organization."); }

}  // namespace

OrderService::OrderService(Ports ports, OrderSettings settings)
    : ports_(std::move(ports)),
      settings_(std::move(settings)),
      runner_(ports_.store, ports_.clock, ports_.logger, settings_.sagas, settings_.crash_point) {
  if (ports_.metrics != nullptr && settings_.fraud.fallbacks == nullptr) {
    settings_.fraud.fallbacks = &ports_.metrics->AddCounter(
        "travio_order_fraud_fallbacks_total",
        "Orders decided by the configured fallback because fraud did not answer in time, by "
        "decision",
        {"decision"});
  }
  if (ports_.metrics != nullptr) {
    sagas_running_ = &ports_.metrics->AddGauge(
        "travio_saga_running", "Sagas begun and not yet ended (parked ones included), by saga.",
        {"saga"});
    oldest_saga_running_ = &ports_.metrics->AddGauge(
        "travio_saga_oldest_running_seconds",
        "Age of the oldest saga still running, by saga (0: none runs).", {"saga"});
  }
}

events::Header OrderService::EventHeader(const OrderView& order) const {
  return events::HeaderNow(ports_.ids, ports_.clock, order.id, order.org_id);
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

absl::StatusOr<RefundPolicy> OrderService::PolicyOf(const OrderRecord& order) {
  if (order.refund_policy) return *order.refund_policy;
  return ports_.policies.For(order.view.org_id);  // an order older than kept policies
}

BookingSaga OrderService::Booking(PaymentInput input) {
  return BookingSaga({.store = ports_.store,
                      .inventory = ports_.inventory,
                      .payments = ports_.payments,
                      .fraud = ports_.fraud,
                      .fraud_policy = settings_.fraud,
                      .clock = ports_.clock,
                      .ids = ports_.ids,
                      .logger = ports_.logger},
                     std::move(input));
}

CancellationSaga OrderService::Cancellation() {
  return CancellationSaga({.store = ports_.store,
                           .inventory = ports_.inventory,
                           .payments = ports_.payments,
                           .clock = ports_.clock,
                           .ids = ports_.ids,
                           .logger = ports_.logger});
}

absl::StatusOr<bool> OrderService::ReserveBooking(const subscription::QuotaUse& booking) {
  absl::StatusOr<bool> reserved = ports_.quota.Reserve(booking);
  if (reserved.ok()) return reserved;
  if (IsReason(reserved.status(), reasons::kPlanLimitReached)) {
    // The traveller is told the operator cannot sell, not the operator's plan or its volume.
    ports_.logger.Warn("an order was refused: the operator's plan has no bookings left",
                       {{"org_id", booking.org_id}});
    return Error(reasons::kPlanLimitReached,
                 "This operator cannot take more bookings online this month; please book at "
                 "its counter.");
  }
  const absl::StatusCode code = reserved.status().code();
  if (code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded) {
    // Sales never wait on billing: the order's event counts it when subscription is back.
    ports_.logger.Warn("subscription did not answer; the order is taken unreserved",
                       {{"org_id", booking.org_id}, {"error", reserved.status().ToString()}});
    return false;
  }
  return reserved.status();
}

absl::Status OrderService::CheckRequestKey(const std::string& key) {
  const bool digest = key.size() == 64 && std::all_of(key.begin(), key.end(), [](char c) {
                        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                      });
  if (key.empty() || digest) return absl::OkStatus();
  return WithFieldErrors(
      Error(reasons::kValidationFailed, "The request key is not a request's digest."),
      {{"request_key", "must be 64 lowercase hex digits"}});
}

absl::StatusOr<OrderView> OrderService::OrderOfHold(const OrderRecord& ordered,
                                                    const CreateOrderCommand& command) {
  // The request that made it, sent again after its answer was lost (a process killed between
  // storing the order and answering, a gateway that forgot the key): the order it made, as it
  // is now (paid meanwhile, its payment with it).
  if (!command.request_key.empty() && ordered.request_key == command.request_key) {
    return WithMoney(ordered.view);
  }
  return Error(reasons::kHoldAlreadyOrdered,
               absl::StrCat("This hold already has order ", ordered.view.id, "."));
}

absl::StatusOr<OrderView> OrderService::CreateOrder(const CreateOrderCommand& command) {
  TRAVIO_RETURN_IF_ERROR(CheckRequestKey(command.request_key));
  TRAVIO_ASSIGN_OR_RETURN(auto ordered, ports_.store.FindOrderByHold(command.hold_id));
  if (ordered && ordered->view.buyer == command.buyer) return OrderOfHold(*ordered, command);
  auto hold = ports_.inventory.GetHold(command.buyer, command.hold_id);
  const absl::Time now = ports_.clock.Now();
  if (absl::IsNotFound(hold.status()) || (hold.ok() && hold->expires_at <= now) ||
      IsReason(hold.status(), reasons::kHoldExpired)) {
    return Error(reasons::kHoldExpired,
                 "The hold has expired or was released; hold the seats again.");
  }
  if (!hold.ok()) return hold.status();
  TRAVIO_RETURN_IF_ERROR(ValidatePassengers(hold->seats, command.passengers, command.contact));
  TRAVIO_ASSIGN_OR_RETURN(absl::Time departs_at,
                          ports_.departures.DepartureAt(hold->org_id, hold->trip_id, hold->from));
  OrderRecord record;
  record.hold_version = hold->version;
  record.request_key = command.request_key;
  TRAVIO_ASSIGN_OR_RETURN(record.refund_policy, ports_.policies.For(hold->org_id));
  OrderView& view = record.view;
  view.id = ports_.ids.NewId();
  view.status = OrderStatus::kPendingPayment;
  view.org_id = hold->org_id;
  view.trip_id = hold->trip_id;
  view.buyer = command.buyer;
  view.hold_id = hold->hold_id;
  view.from = hold->from;
  view.to = hold->to;
  view.departs_at = departs_at;
  view.contact = command.contact;
  view.total = hold->total;
  view.expires_at = hold->expires_at;
  view.created_at = view.updated_at = now;
  for (const auto& [seat, passenger] : command.passengers) {
    auto price = std::find_if(hold->prices.begin(), hold->prices.end(),
                              [&](const inventory::SeatPrice& p) { return p.seat == seat; });
    view.items.push_back(OrderItem{.seat = seat,
                                   .passenger = passenger,
                                   .price = {price->amount, price->currency},
                                   .status = ItemStatus::kActive});
  }
  std::sort(view.items.begin(), view.items.end(),
            [](const OrderItem& a, const OrderItem& b) { return a.seat < b.seat; });
  // The order is one of the operator's bookings this month, reserved against its plan before
  // it is stored (counted when order.created.v1 arrives, taken out if it expires unpaid).
  const subscription::QuotaUse booking{
      .org_id = view.org_id, .quota = subscription::Quota::kBookingsPerMonth, .key = view.id};
  TRAVIO_ASSIGN_OR_RETURN(const bool reserved, ReserveBooking(booking));
  const absl::Status stored =
      ports_.store.CreateOrder(record, kOrderCreated.Make({.order_id = view.id,
                                                           .buyer = view.buyer,
                                                           .trip_id = view.trip_id,
                                                           .hold_id = view.hold_id,
                                                           .seats = hold->seats,
                                                           .total = view.total,
                                                           .expires_at = view.expires_at},
                                                          EventHeader(view)));
  if (!stored.ok() && reserved) ports_.quota.Release(booking).IgnoreError();
  if (IsReason(stored, reasons::kHoldAlreadyOrdered)) {
    // Ordered in between by a request racing this one: its order, if this is that request.
    TRAVIO_ASSIGN_OR_RETURN(auto raced, ports_.store.FindOrderByHold(command.hold_id));
    if (raced && raced->view.buyer == command.buyer) return OrderOfHold(*raced, command);
  }
  TRAVIO_RETURN_IF_ERROR(stored);
  settings_.crash_point.Reach("create_order:after");
  return view;
}

absl::StatusOr<OrderView> OrderService::GetOrder(const std::string& order_id) {
  TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, LoadOrder(order_id));
  return WithMoney(std::move(order.view));
}

absl::Status OrderService::CheckPage(int limit, const std::string& cursor) {
  if (limit < 1 || limit > kMaxPageLimit) {
    return WithFieldErrors(Error(reasons::kInvalidLimit, "limit must be between 1 and 200."),
                           {{"limit", "must be between 1 and 200"}});
  }
  if (!cursor.empty() && !IsUuid(cursor)) {
    return WithFieldErrors(
        Error(reasons::kInvalidCursor, "The cursor is not one this list gave out."),
        {{"cursor", "is not valid"}});
  }
  return absl::OkStatus();
}

absl::StatusOr<OrderPage> OrderService::ListOrders(const std::string& buyer, int limit,
                                                   const std::string& cursor) {
  TRAVIO_RETURN_IF_ERROR(CheckPage(limit, cursor));
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

absl::StatusOr<OrderPage> OrderService::OrgOrders(const OrgOrderQuery& query) {
  if (query.org_id.empty()) return Error(reasons::kOrgRequired, "Name an organization.");
  TRAVIO_RETURN_IF_ERROR(CheckPage(query.limit, query.cursor));
  if (query.text.size() > 200) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The search is too long."),
                           {{"q", "at most 200 characters"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> found,
                          ports_.store.OrdersOfOrg(query, query.limit + 1));
  OrderPage page;
  for (OrderRecord& order : found) {
    if (static_cast<int>(page.items.size()) == query.limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(std::move(order.view));
  }
  return page;
}

absl::StatusOr<std::vector<SalesTotal>> OrderService::SalesSince(const std::string& org_id,
                                                                 absl::Time since) {
  if (org_id.empty()) return Error(reasons::kOrgRequired, "Name an organization.");
  return ports_.store.SalesOfOrgSince(org_id, since);
}

absl::StatusOr<std::vector<ManifestLine>> OrderService::Manifest(const std::string& org_id,
                                                                 const std::string& trip_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> orders,
                          ports_.store.OrdersOnTrip(trip_id, {OrderStatus::kConfirmed,
                                                              OrderStatus::kPartiallyCancelled}));
  std::vector<ManifestLine> lines;
  for (const OrderRecord& order : orders) {
    if (order.view.org_id != org_id) continue;
    for (const OrderItem& item : order.view.items) {
      if (item.status != ItemStatus::kActive) continue;
      lines.push_back({order.view.id, item.seat, item.passenger, order.view.from, order.view.to,
                       order.view.contact.phone});
    }
  }
  std::sort(lines.begin(), lines.end(),
            [](const ManifestLine& a, const ManifestLine& b) { return a.seat < b.seat; });
  return lines;
}

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

}  // namespace travio::order
