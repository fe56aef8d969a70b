#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/order/api/order_client.h"

namespace travio::order {

/// Order states (api.md): pending_payment -> confirmed -> (partially_cancelled) -> cancelled;
/// pending_payment -> expired.
inline constexpr char kPendingPayment[] = "pending_payment";
inline constexpr char kConfirmed[] = "confirmed";
inline constexpr char kPartiallyCancelled[] = "partially_cancelled";
inline constexpr char kCancelled[] = "cancelled";
inline constexpr char kExpired[] = "expired";

/// Item states.
inline constexpr char kItemActive[] = "active";
inline constexpr char kItemCancelled[] = "cancelled";

/// Checks the passengers of an order against the seats of its hold: exactly one passenger per
/// held seat, each with a name (1 to 100 characters, no control characters), a gender (female,
/// male, other), an optional age from 0 to 120 and an optional phone; and a contact with a
/// plausible email. kInvalidArgument `invalid_passengers` naming every bad field
/// (`passengers[1].name`, `contact.email`, ...).
absl::Status ValidatePassengers(const std::vector<std::string>& held_seats,
                                const std::vector<std::pair<std::string, Passenger>>& passengers,
                                const Contact& contact);

/// The seats of `order` still active.
std::vector<std::string> ActiveSeats(const OrderView& order);

/// What the active `seats` of `order` cost; kInvalidArgument `invalid_seats` naming any seat
/// that is not an active seat of the order.
absl::StatusOr<int64_t> PriceOfSeats(const OrderView& order, const std::vector<std::string>& seats);

/// The order's status once `seats` more are cancelled: cancelled when none stays active.
std::string StatusAfterCancelling(const OrderView& order, const std::vector<std::string>& seats);

}  // namespace travio::order
