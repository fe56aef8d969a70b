#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/app/ports.h"

namespace travio::notification {

struct SmtpOptions {
  /// smtp://host:port (STARTTLS when offered) or smtps://host:port (TLS from the start).
  std::string url;
  /// AUTH credentials; no AUTH when the username is empty.
  std::string username;
  std::string password;
  /// PEM file of the CAs to trust for the server's certificate; empty: the system's.
  std::string ca_file;
  /// Refuse to send unless the session is encrypted (else STARTTLS is used when offered).
  bool require_tls = false;
  /// Longest a connection attempt, and a whole message, may take.
  absl::Duration timeout = absl::Seconds(4);
};

/// Sends each message to an SMTP server with libcurl, one connection per message. The server
/// certificate is always verified when TLS is used. Fails with kInvalidArgument for a URL that
/// is not smtp:// or smtps://, carries credentials or a path, or a CA file that cannot be read.
absl::StatusOr<std::shared_ptr<EmailTransport>> MakeSmtpTransport(SmtpOptions options);

}  // namespace travio::notification
