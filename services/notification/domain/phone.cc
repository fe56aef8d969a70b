#include "services/notification/domain/phone.h"

#include "platform/base/errors.h"

namespace travio::notification {

absl::Status ValidatePhone(std::string_view phone) {
  const absl::Status invalid =
      WithFieldErrors(Error(reasons::kInvalidPhone, "A phone number is +, then 8 to 15 digits."),
                      {{"phone", "is not an E.164 number"}});
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return invalid;
  for (char c : phone.substr(1)) {
    if (c < '0' || c > '9') return invalid;
  }
  return absl::OkStatus();
}

}  // namespace travio::notification
