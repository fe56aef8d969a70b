#include "services/notification/config.h"

#include <algorithm>
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
      {.name = "notification.sms.provider",
       .type = KeyType::kString,
       .default_value = "file",
       .description = "Where text messages go: file (.json files under <data_dir>/sms) or "
                      "webhook (a signed HTTP POST to notification.sms.webhook_url)",
       .allowed = {"file", "webhook"}},
      {.name = "notification.sms.webhook_url",
       .type = KeyType::kString,
       .default_value = "",
       .description = "The SMS provider's endpoint when the provider is webhook: https:// (http:// "
                      "only on loopback)"},
      {.name = "notification.sms.webhook_secret",
       .type = KeyType::kString,
       .default_value = "",
       .description = "Signs every webhook request (X-Travio-Signature, HMAC-SHA256), at least 16 "
                      "characters",
       .secret = true},
      {.name = "notification.sms.timeout",
       .type = KeyType::kDuration,
       .default_value = "5s",
       .description = "Longest one webhook request may take",
       .min = 100,
       .max = 60000},
      {.name = "notification.emails_per_hour",
       .type = KeyType::kInt,
       .default_value = "20",
       .description = "Emails of notices one address may receive per hour; more wait",
       .min = 1,
       .max = 100000},
      {.name = "notification.sms_per_hour",
       .type = KeyType::kInt,
       .default_value = "10",
       .description = "Text messages one phone number may receive per hour; more wait",
       .min = 1,
       .max = 100000},
      {.name = "notification.max_attempts",
       .type = KeyType::kInt,
       .default_value = "10",
       .description = "Attempts to deliver one message before it is given up",
       .min = 1,
       .max = 100},
      {.name = "notification.max_backoff",
       .type = KeyType::kDuration,
       .default_value = "30m",
       .description = "Longest wait between two attempts to deliver a message",
       .min = 1000,
       .max = 86400000},
      {.name = "notification.lease",
       .type = KeyType::kDuration,
       .default_value = "1m",
       .description = "How long a sender holds a message it sends; a process that died holding "
                      "one lets another send it after this. At least twice the longer of "
                      "notification.smtp.timeout and notification.sms.timeout, plus 2s: a "
                      "send starts only if it can end before the sender's hold does",
       .min = 1000,
       .max = 3600000},
      {.name = "notification.poll_interval",
       .type = KeyType::kDuration,
       .default_value = "1s",
       .description = "How often the sender looks for messages due (a new notice wakes it at once)",
       .min = 10,
       .max = 60000},
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
  settings.sms_provider = config.String("notification.sms.provider");
  settings.sms_dir = (std::filesystem::path(config.String("data_dir")) / "sms").string();
  settings.webhook = {.url = config.String("notification.sms.webhook_url"),
                      .secret = config.String("notification.sms.webhook_secret"),
                      .timeout = config.Duration("notification.sms.timeout")};
  settings.notices = {
      .max_attempts = static_cast<int>(config.Int("notification.max_attempts")),
      .max_backoff = config.Duration("notification.max_backoff"),
      .emails_per_hour = static_cast<int>(config.Int("notification.emails_per_hour")),
      .sms_per_hour = static_cast<int>(config.Int("notification.sms_per_hour")),
      .lease = config.Duration("notification.lease"),
      .longest_send = std::max(settings.smtp.timeout, settings.webhook.timeout)};
  if (settings.notices.lease < 2 * settings.notices.longest_send + kSendClockMargin) {
    return absl::InvalidArgumentError(absl::StrCat(
        "notification.lease (", absl::FormatDuration(settings.notices.lease),
        ") must be at least twice the longer of notification.smtp.timeout and "
        "notification.sms.timeout (",
        absl::FormatDuration(settings.notices.longest_send), "), plus ",
        absl::FormatDuration(kSendClockMargin),
        ": a message is sent only if the send can end before the sender's hold on it does"));
  }
  settings.poll_interval = config.Duration("notification.poll_interval");
  return settings;
}

std::vector<std::string> DevelopmentOnlySettings(const config::Config& config) {
  std::vector<std::string> problems;
  if (config.String("notification.email.transport") == "file") {
    problems.push_back(
        "notification.email.transport is file: travellers' emails would stay in files on this "
        "machine; send them with smtp");
  } else if (config.String("notification.smtp.url").rfind("smtps://", 0) != 0 &&
             !config.Bool("notification.smtp.require_tls")) {
    problems.push_back(
        "notification.smtp.url is smtp:// and notification.smtp.require_tls is off: emails, with "
        "their ticket links, could travel unencrypted; use smtps:// or turn require_tls on");
  }
  return problems;
}

}  // namespace travio::notification
