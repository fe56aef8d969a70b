#include "services/order/domain/order.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"

namespace travio::order {
namespace {

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool PlausibleEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254 || HasControl(email)) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = email.substr(at + 1);
  if (email.find(' ') != std::string_view::npos) return false;
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

// "+8801712345678" or "01712345678": an optional plus, then 8 to 15 digits.
bool PlausiblePhone(std::string_view phone) {
  if (!phone.empty() && phone.front() == '+') phone.remove_prefix(1);
  return phone.size() >= 8 && phone.size() <= 15 &&
         std::all_of(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

absl::Status ValidatePassengers(const std::vector<std::string>& held_seats,
                                const std::vector<std::pair<std::string, Passenger>>& passengers,
                                const Contact& contact) {
  std::vector<FieldError> errors;
  const std::set<std::string> held(held_seats.begin(), held_seats.end());
  std::set<std::string> named;
  for (size_t i = 0; i < passengers.size(); ++i) {
    const auto& [seat, passenger] = passengers[i];
    const std::string at = absl::StrCat("passengers[", i, "]");
    if (!held.count(seat)) {
      errors.push_back({at + ".seat", "not a seat of the hold"});
    } else if (!named.insert(seat).second) {
      errors.push_back({at + ".seat", "this seat already has a passenger"});
    }
    const absl::string_view name = absl::StripAsciiWhitespace(passenger.name);
    if (name.empty() || name.size() > 100 || HasControl({name.data(), name.size()})) {
      errors.push_back({at + ".name", "1 to 100 characters"});
    }
    if (passenger.gender != "female" && passenger.gender != "male" && passenger.gender != "other") {
      errors.push_back({at + ".gender", "female, male or other"});
    }
    if (passenger.age && (*passenger.age < 0 || *passenger.age > 120)) {
      errors.push_back({at + ".age", "from 0 to 120"});
    }
    if (!passenger.phone.empty() && !PlausiblePhone(passenger.phone)) {
      errors.push_back({at + ".phone", "a phone number such as +8801712345678"});
    }
  }
  for (const std::string& seat : held_seats) {
    if (!named.count(seat)) errors.push_back({"passengers", "no passenger for seat " + seat});
  }
  if (!PlausibleEmail(contact.email)) errors.push_back({"contact.email", "an email address"});
  if (contact.locale != "en" && contact.locale != "bn") {
    errors.push_back({"contact.locale", "en or bn"});
  }
  if (!contact.phone.empty() && !PlausiblePhone(contact.phone)) {
    errors.push_back({"contact.phone", "a phone number such as +8801712345678"});
  }
  if (errors.empty()) return absl::OkStatus();
  return WithFieldErrors(
      Error(reasons::kInvalidPassengers, "The passengers do not match the hold."), errors);
}

std::vector<std::string> ActiveSeats(const std::vector<OrderItem>& items) {
  std::vector<std::string> seats;
  for (const OrderItem& item : items) {
    if (item.status == ItemStatus::kActive) seats.push_back(item.seat);
  }
  return seats;
}

absl::StatusOr<int64_t> PriceOfSeats(const std::vector<OrderItem>& items,
                                     const std::vector<std::string>& seats) {
  int64_t total = 0;
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (size_t i = 0; i < seats.size(); ++i) {
    auto item = std::find_if(items.begin(), items.end(),
                             [&](const OrderItem& it) { return it.seat == seats[i]; });
    if (item == items.end() || item->status != ItemStatus::kActive ||
        !seen.insert(seats[i]).second) {
      errors.push_back({absl::StrCat("seats[", i, "]"), "not an active seat of this order"});
      continue;
    }
    total += item->price.amount;
  }
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kInvalidSeats, "Some seats cannot be cancelled."),
                           errors);
  }
  return total;
}

OrderStatus StatusAfterCancelling(const std::vector<OrderItem>& items,
                                  const std::vector<std::string>& seats) {
  const std::set<std::string> leaving(seats.begin(), seats.end());
  for (const OrderItem& item : items) {
    if (item.status == ItemStatus::kActive && !leaving.count(item.seat)) {
      return OrderStatus::kPartiallyCancelled;
    }
  }
  return OrderStatus::kCancelled;
}

}  // namespace travio::order
