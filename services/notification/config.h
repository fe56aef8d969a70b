#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "platform/config/config.h"
#include "platform/config/schema.h"
#include "services/notification/domain/address.h"
#include "services/notification/transport/smtp_transport.h"

namespace travio::notification {

/// Declares the notification.* keys.
absl::Status DeclareNotificationConfig(config::Schema& schema);

/// The module's settings, read and checked once at start.
struct Settings {
  std::string transport;  // "file" or "smtp"
  Mailbox from;
  std::string mail_dir;  // <data_dir>/mail, for the file transport
  SmtpOptions smtp;
};

/// Reads the settings; kInvalidArgument naming the key when a value makes no sense.
absl::StatusOr<Settings> ReadSettings(const config::Config& config);

}  // namespace travio::notification
