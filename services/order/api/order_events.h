#pragma once

// The events the order service publishes (platform/events/contract.h): an order created,
// confirmed (paid: fulfillment issues its tickets), expired unpaid, and cancelled in part or
// whole. The order is each event's aggregate.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/events/contract.h"
#include "services/order/api/order_client.h"
#include "services/order/domain/order.h"

namespace travio::order {

/// order.created.v1: an order waiting for its payment until `expires_at`, placed by `buyer`
/// (the subject of an account or a guest; the queue ends the buyer's waiting-room session).
struct OrderCreated {
  std::string order_id;
  std::string buyer;
  std::string trip_id;
  std::string hold_id;
  std::vector<std::string> seats;
  Money total;
  absl::Time expires_at;
  bool operator==(const OrderCreated&) const = default;
};
std::string EncodeOrderCreated(const OrderCreated& event);
absl::StatusOr<OrderCreated> DecodeOrderCreated(std::string_view payload);
inline constexpr events::Contract<OrderCreated> kOrderCreated{
    "order.created.v1", &EncodeOrderCreated, &DecodeOrderCreated};

/// order.confirmed.v1: paid, the seats booked; what a ticket needs.
struct OrderConfirmed {
  std::string order_id;
  std::string trip_id;
  std::string booking_id;
  std::string payment_id;
  std::vector<std::string> seats;
  std::string from;  // station codes
  std::string to;
  Money total;
  std::string email;  // the contact's
  bool operator==(const OrderConfirmed&) const = default;
};
std::string EncodeOrderConfirmed(const OrderConfirmed& event);
absl::StatusOr<OrderConfirmed> DecodeOrderConfirmed(std::string_view payload);
inline constexpr events::Contract<OrderConfirmed> kOrderConfirmed{
    "order.confirmed.v1", &EncodeOrderConfirmed, &DecodeOrderConfirmed};

/// order.expired.v1: never paid. `reason`: not_paid, trip_cancelled, or why the booking saga
/// gave up (hold_expired, seats_unavailable, payment_timeout, ...).
struct OrderExpired {
  std::string order_id;
  std::string reason;
  bool operator==(const OrderExpired&) const = default;
};
std::string EncodeOrderExpired(const OrderExpired& event);
absl::StatusOr<OrderExpired> DecodeOrderExpired(std::string_view payload);
inline constexpr events::Contract<OrderExpired> kOrderExpired{
    "order.expired.v1", &EncodeOrderExpired, &DecodeOrderExpired};

/// order.cancelled.v1: `seats` given back, `refund` sent; the order is now `status`.
struct OrderCancelled {
  std::string order_id;
  std::string trip_id;
  std::vector<std::string> seats;
  OrderStatus status = OrderStatus::kCancelled;
  Money refund;
  std::string tier;  // the refund policy's tier, or trip_cancelled
  bool operator==(const OrderCancelled&) const = default;
};
std::string EncodeOrderCancelled(const OrderCancelled& event);
absl::StatusOr<OrderCancelled> DecodeOrderCancelled(std::string_view payload);
inline constexpr events::Contract<OrderCancelled> kOrderCancelled{
    "order.cancelled.v1", &EncodeOrderCancelled, &DecodeOrderCancelled};

/// order.risk_assessed.v1: fraud decided on the order as it was paid (`fallback`: the order
/// service decided alone because fraud did not answer in time). order.reviewed.v1: a review
/// ended: `verdict` approved or rejected by `reviewer`, or expired undecided.
struct OrderRiskChanged {
  std::string order_id;
  std::string decision;  // allow, review, deny
  int score = 0;
  std::vector<std::string> signals;  // the reasons' signals, heaviest first
  bool fallback = false;
  std::string verdict;  // order.reviewed.v1: approved, rejected, expired
  std::string reviewer;
  bool operator==(const OrderRiskChanged&) const = default;
};
std::string EncodeOrderRiskChanged(const OrderRiskChanged& event);
absl::StatusOr<OrderRiskChanged> DecodeOrderRiskChanged(std::string_view payload);
/// The event of `order`'s risk as it stands (it must have one).
OrderRiskChanged RiskChangedOf(const OrderView& order);
inline constexpr events::Contract<OrderRiskChanged> kOrderRiskAssessed{
    "order.risk_assessed.v1", &EncodeOrderRiskChanged, &DecodeOrderRiskChanged};
inline constexpr events::Contract<OrderRiskChanged> kOrderReviewed{
    "order.reviewed.v1", &EncodeOrderRiskChanged, &DecodeOrderRiskChanged};

}  // namespace travio::order
