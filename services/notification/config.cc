#include "services/notification/config.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"

namespace travio::notification {

using config::KeySpec;
using config::KeyType;

absl::Status DeclareNotificationConfig(config::Schema& schema) {
  const KeySpec keys[] = {
      {"notification.email.transport",
       KeyType::kString,
       "file",
       "Where email goes: file (.eml files under <data_dir>/mail) or smtp",
       false,
       {"file", "smtp"}},
      {"notification.email.from", KeyType::kString, "Travio <no-reply@travio.localhost>",
       "From header and envelope sender of every email: \"Name <address>\" or an address"},
      {"notification.smtp.url", KeyType::kString, "smtp://127.0.0.1:25",
       "SMTP server when the transport is smtp: smtp://host:port (STARTTLS when offered) or "
       "smtps://host:port"},
      {"notification.smtp.username", KeyType::kString, "", "SMTP AUTH user name (empty: no AUTH)"},
      {"notification.smtp.password", KeyType::kString, "", "SMTP AUTH password", true},
      {"notification.smtp.ca_file", KeyType::kString, "",
       "PEM file of the CAs trusted for the SMTP server's certificate (empty: the system's)"},
      {"notification.smtp.require_tls", KeyType::kBool, "false",
       "Refuse to send over an unencrypted SMTP session (else STARTTLS is used when offered)"},
      {"notification.smtp.timeout",
       KeyType::kDuration,
       "4s",
       "Longest an SMTP connection, and the sending of one email, may take (keep it below the "
       "callers' grpc.deadline)",
       false,
       {},
       100,
       300000},
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
