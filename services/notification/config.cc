#include "services/notification/config.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"

namespace travio::notification {

using config::KeySpec;
using config::KeyType;

absl::Status DeclareNotificationConfig(config::Schema& schema) {
  const KeySpec keys[] = {
      {.name = "notification.email.transport",
       .type = KeyType::kString,
       .default_value = "file",
       .description = "Where email goes: file (.eml files under <data_dir>/mail) or smtp",
       .allowed = {"file", "smtp"}},
      {.name = "notification.email.from",
       .type = KeyType::kString,
       .default_value = "Travio <no-reply@travio.localhost>",
       .description =
           "From header and envelope sender of every email: \"Name <address>\" or an address"},
      {.name = "notification.smtp.url",
       .type = KeyType::kString,
       .default_value = "smtp://127.0.0.1:25",
       .description =
           "SMTP server when the transport is smtp: smtp://host:port (STARTTLS when offered) or "
           "smtps://host:port"},
      {.name = "notification.smtp.username",
       .type = KeyType::kString,
       .default_value = "",
       .description = "SMTP AUTH user name (empty: no AUTH)"},
      {.name = "notification.smtp.password",
       .type = KeyType::kString,
       .default_value = "",
       .description = "SMTP AUTH password",
       .secret = true},
      {.name = "notification.smtp.ca_file",
       .type = KeyType::kString,
       .default_value = "",
       .description =
           "PEM file of the CAs trusted for the SMTP server's certificate (empty: the system's)"},
      {.name = "notification.smtp.require_tls",
       .type = KeyType::kBool,
       .default_value = "false",
       .description =
           "Refuse to send over an unencrypted SMTP session (else STARTTLS is used when offered)"},
      {.name = "notification.smtp.timeout",
       .type = KeyType::kDuration,
       .default_value = "4s",
       .description =
           "Longest an SMTP connection, and the sending of one email, may take (keep it below the "
           "callers' grpc.deadline)",
       .min = 100,
       .max = 300000},
  };
  for (const KeySpec& key : keys) TRAVIO_RETURN_IF_ERROR(schema.Add(key));
  return absl::OkStatus();
}

absl::StatusOr<Settings> ReadSettings(const config::Config& config) {
  Settings settings;
  settings.transport = config.String("notification.email.transport");
  auto from = ParseMailbox(config.String("notification.email.from"));
  if (!from.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("notification.email.from: ", from.status().message()));
  }
  settings.from = *std::move(from);
  settings.mail_dir = (std::filesystem::path(config.String("data_dir")) / "mail").string();
  settings.smtp = {.url = config.String("notification.smtp.url"),
                   .username = config.String("notification.smtp.username"),
                   .password = config.String("notification.smtp.password"),
                   .ca_file = config.String("notification.smtp.ca_file"),
                   .require_tls = config.Bool("notification.smtp.require_tls"),
                   .timeout = config.Duration("notification.smtp.timeout")};
  return settings;
}

}  // namespace travio::notification
