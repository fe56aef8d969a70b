#pragma once

#include <string>
#include <string_view>

#include "services/gateway/security/caller.h"

namespace travio::gateway {

/// Who holds the seats and buys the orders of a counter sale: the organization's counter, per
/// staff member (each has their own hold limit), never the staff member's own account. So the
/// traveller routes (`/v1/orders`, a buyer's cancellation) give a member nothing over what they
/// sold, and once their membership ends the sales desk's routes give them nothing either;
/// what they do meanwhile goes through the sales desk, which the audit log records.
inline std::string CounterBuyer(const Caller& caller) {
  return "counter:" + caller.membership->org_id + ":" + caller.user_id();
}

/// Whether `buyer` is an organization's counter (CounterBuyer).
inline bool IsCounterBuyer(std::string_view buyer) { return buyer.starts_with("counter:"); }

}  // namespace travio::gateway
