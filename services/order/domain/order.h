#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/base/enum_names.h"
#include "platform/base/money.h"

namespace travio::order {

/// Order states (api.md): pending_payment -> confirmed -> (partially_cancelled) -> cancelled;
/// pending_payment -> expired; pending_payment -> under_review (fraud held it: payment
/// authorized, seats booked) -> confirmed (approved: captured) or expired (rejected, or not
/// decided in time).
enum class OrderStatus {
  kPendingPayment,
  kConfirmed,
  kPartiallyCancelled,
  kCancelled,
  kExpired,
  kUnderReview
};
inline constexpr EnumName<OrderStatus> kOrderStatusNames[] = {
    {OrderStatus::kPendingPayment, "pending_payment"},
    {OrderStatus::kUnderReview, "under_review"},
    {OrderStatus::kConfirmed, "confirmed"},
    {OrderStatus::kPartiallyCancelled, "partially_cancelled"},
    {OrderStatus::kCancelled, "cancelled"},
    {OrderStatus::kExpired, "expired"},
};
inline std::string_view OrderStatusName(OrderStatus status) {
  return NameOf(kOrderStatusNames, status);
}
inline std::string_view StatusName(OrderStatus status) { return OrderStatusName(status); }
/// Seats of a paid order can be given back: confirmed or partially cancelled.
inline bool Cancellable(OrderStatus status) {
  return status == OrderStatus::kConfirmed || status == OrderStatus::kPartiallyCancelled;
}

/// A seat of an order is active until it is given back.
enum class ItemStatus { kActive, kCancelled };
inline constexpr EnumName<ItemStatus> kItemStatusNames[] = {
    {ItemStatus::kActive, "active"},
    {ItemStatus::kCancelled, "cancelled"},
};
inline std::string_view StatusName(ItemStatus status) { return NameOf(kItemStatusNames, status); }

struct Passenger {
  std::string name;
  std::string gender;  // female, male, other
  std::optional<int> age;
  std::string phone;
  bool operator==(const Passenger&) const = default;
};

struct Contact {
  std::string email;
  std::string phone;
  /// The language of the traveller's messages: "en" or "bn".
  std::string locale = "en";
  bool operator==(const Contact&) const = default;
};

/// One seat of an order, at the price frozen by its hold.
struct OrderItem {
  std::string seat;
  Passenger passenger;
  Money price;
  ItemStatus status = ItemStatus::kActive;
  bool operator==(const OrderItem&) const = default;
};

/// Checks the passengers of an order against the seats of its hold: exactly one passenger per
/// held seat, each with a name (1 to 100 characters, no control characters), a gender (female,
/// male, other), an optional age from 0 to 120 and an optional phone; and a contact with a
/// plausible email. kInvalidArgument `invalid_passengers` naming every bad field
/// (`passengers[1].name`, `contact.email`, ...).
absl::Status ValidatePassengers(const std::vector<std::string>& held_seats,
                                const std::vector<std::pair<std::string, Passenger>>& passengers,
                                const Contact& contact);

/// The seats still active.
std::vector<std::string> ActiveSeats(const std::vector<OrderItem>& items);

/// What the active `seats` cost; kInvalidArgument `invalid_seats` naming any seat that is not an
/// active seat of the items.
absl::StatusOr<int64_t> PriceOfSeats(const std::vector<OrderItem>& items,
                                     const std::vector<std::string>& seats);

/// The order's status once `seats` more are cancelled: cancelled when none stays active.
OrderStatus StatusAfterCancelling(const std::vector<OrderItem>& items,
                                  const std::vector<std::string>& seats);

}  // namespace travio::order
