#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace travio::notification {

/// A mailbox as in a From header: an optional display name and an address.
struct Mailbox {
  std::string display_name;  // UTF-8, may be empty
  std::string address;       // local@domain, ASCII
};

/// Accepts one plain ASCII address `local@domain`: a dot-atom local part of at most 64 octets, a
/// domain of letters, digits and hyphens in dot-separated labels, 254 octets in all. No quoted
/// local parts, comments, address literals or internationalised addresses. Fails with
/// kInvalidArgument (reason invalid_email_address) otherwise.
absl::Status ValidateAddress(std::string_view address);

/// The domain of a valid address ("example.com" for "ana@example.com"), lower-cased.
std::string DomainOf(std::string_view address);

/// The inbox an address reaches, for counting what one person receives: lower-cased, without
/// a "+tag" in the local part ("Ana+x@Example.com" and "ana@example.com" are one inbox).
std::string InboxOf(std::string_view address);

/// Parses "Display Name <local@domain>" or a bare "local@domain". kInvalidArgument when the
/// address is not valid or the display name holds control characters or angle brackets.
absl::StatusOr<Mailbox> ParseMailbox(std::string_view text);

}  // namespace travio::notification
