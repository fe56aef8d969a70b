#pragma once

#include <string_view>

#include "absl/status/status.h"

namespace travio::notification {

/// An E.164 number: '+', then 8 to 15 digits, the first not 0 ("+8801711000000").
/// kInvalidArgument `invalid_phone` otherwise.
absl::Status ValidatePhone(std::string_view phone);

/// Longest text message accepted (characters of UTF-8 text; providers split long ones).
inline constexpr size_t kMaxSmsBytes = 1600;

}  // namespace travio::notification
