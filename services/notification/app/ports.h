#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace travio::notification {

/// One rendered message and its envelope, as a transport receives it.
struct OutgoingMessage {
  /// Message-ID without angle brackets.
  std::string message_id;
  absl::Time date;
  /// Envelope sender and recipient (SMTP MAIL FROM and RCPT TO): bare addresses.
  std::string envelope_from;
  std::string envelope_to;
  /// The whole RFC 5322 message, CRLF line endings.
  std::string data;
};

/// Where email goes: a directory of .eml files or an SMTP server. Implementations are
/// thread-safe.
class EmailTransport {
 public:
  virtual ~EmailTransport() = default;
  /// "file" or "smtp", for logs and metrics.
  virtual std::string_view name() const = 0;
  /// Delivers the message or durably writes it. kUnavailable (reason email_transport_failed)
  /// when that failed; the message may be sent again.
  virtual absl::Status Deliver(const OutgoingMessage& message) = 0;
};

}  // namespace travio::notification
