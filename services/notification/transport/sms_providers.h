#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "services/notification/app/ports.h"

namespace travio::notification {

/// Text messages as files: each becomes `<directory>/<UTC yyyymmddThhmmss>-<id>.json`
/// (`{"message_id","to","text","date"}`), written whole, mode 0600. The default, beside the
/// `.eml` files of email.
std::unique_ptr<SmsProvider> MakeFileSmsProvider(std::filesystem::path directory);

struct WebhookSmsOptions {
  std::string url;     // https://sms.example.com/send (http:// only for loopback tests)
  std::string secret;  // signs every request
  absl::Duration timeout = absl::Seconds(5);
};

/// Text messages POSTed to a provider's HTTP endpoint: body `{"message_id","to","text"}`
/// (JSON), headers `X-Travio-Timestamp` (unix seconds) and `X-Travio-Signature:
/// v1=<hex HMAC-SHA256(secret, timestamp "." body)>`, so the provider can check who sent it and
/// refuse replays. 2xx is sent; 408, 429 and 5xx are retried (kUnavailable); other answers are
/// refusals for good (kInvalidArgument). libcurl, no proxy from the environment.
/// kInvalidArgument for options that cannot work.
absl::StatusOr<std::unique_ptr<SmsProvider>> MakeWebhookSmsProvider(
    const WebhookSmsOptions& options, const Clock& clock);

/// The signature header's value for `body` sent at `timestamp` (for providers and tests).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

}  // namespace travio::notification
