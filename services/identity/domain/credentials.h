#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace travio::identity {

/// The canonical form of an email address: trimmed and lower-cased, so "Rahim@Example.com "
/// and "rahim@example.com" are one account. Fails with kInvalidArgument (field `email`) for
/// anything that is not a plausible single address.
absl::StatusOr<std::string> NormalizeEmail(std::string_view email);

/// NIST SP 800-63B rules: at least 10 characters and at most 128, not one of the most common
/// passwords, not the email address or its local part, not a single repeated character.
/// Fails with kFailedPrecondition `weak_password` (field `password`) saying why.
absl::Status CheckPasswordStrength(std::string_view password, std::string_view email);

/// A display name: 1 to 100 characters after trimming, no control characters.
absl::StatusOr<std::string> NormalizeName(std::string_view name);

/// An optional phone number in E.164 ("+8801712345678"); empty stays empty.
absl::StatusOr<std::string> NormalizePhone(std::string_view phone);

}  // namespace travio::identity
