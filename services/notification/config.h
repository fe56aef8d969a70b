#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/config/config.h"
#include "platform/config/schema.h"
#include "services/notification/app/notices.h"
#include "services/notification/domain/address.h"
#include "services/notification/transport/sms_providers.h"
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
  std::string sms_provider;  // "file" or "webhook"
  std::string sms_dir;       // <data_dir>/sms, for the file provider
  WebhookSmsOptions webhook;
  NoticeSettings notices;
  absl::Duration poll_interval = absl::Seconds(1);
};

/// Reads the settings; kInvalidArgument naming the key when a value makes no sense.
absl::StatusOr<Settings> ReadSettings(const config::Config& config);

/// The settings fit for development only (ModuleSpec::production_check): email written to
/// files, or sent over SMTP that may not be encrypted.
std::vector<std::string> DevelopmentOnlySettings(const config::Config& config);

}  // namespace travio::notification
