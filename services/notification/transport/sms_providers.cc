#include "services/notification/transport/sms_providers.h"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/notification/transport/whole_file.h"

namespace travio::notification {
namespace {

class FileSmsProvider final : public SmsProvider {
 public:
  explicit FileSmsProvider(std::filesystem::path directory) : directory_(std::move(directory)) {}

  std::string_view name() const override { return "file"; }

  absl::Status Send(const SmsMessage& message) override {
    const nlohmann::json document = {{"message_id", message.message_id},
                                     {"to", message.to},
                                     {"text", message.text},
                                     {"date", FormatRfc3339(message.date)}};
    const std::string name =
        absl::StrCat(absl::FormatTime("%Y%m%dT%H%M%S", message.date, absl::UTCTimeZone()), "-",
                     message.message_id, ".json");
    return WriteWholeFile(directory_, name, document.dump(2) + "\n", reasons::kSmsTransportFailed);
  }

 private:
  std::filesystem::path directory_;
};

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

class WebhookSmsProvider final : public SmsProvider {
 public:
  WebhookSmsProvider(WebhookSmsOptions options, const Clock& clock)
      : options_(std::move(options)), clock_(clock) {}

  std::string_view name() const override { return "webhook"; }

  absl::Status Send(const SmsMessage& message) override {
    const std::string body = nlohmann::json{
        {"message_id", message.message_id},
        {"to", message.to},
        {"text", message.text}}.dump();
    const std::string timestamp = std::to_string(absl::ToUnixSeconds(clock_.Now()));
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Error(reasons::kSmsTransportFailed, "curl_easy_init failed");
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, absl::StrCat("X-Travio-Timestamp: ", timestamp).c_str());
    headers = curl_slist_append(
        headers,
        absl::StrCat("X-Travio-Signature: ", WebhookSignature(options_.secret, timestamp, body))
            .c_str());
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                            curl_slist_free_all);
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, Discard);
    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK) {
      return Error(
          reasons::kSmsTransportFailed,
          absl::StrCat("the SMS provider could not be reached: ", curl_easy_strerror(code)));
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return absl::OkStatus();
    if (status == 408 || status == 429 || status >= 500) {
      return Error(reasons::kSmsTransportFailed,
                   absl::StrCat("the SMS provider answered ", status));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("the SMS provider refused the message (", status, ")"));
  }

 private:
  WebhookSmsOptions options_;
  const Clock& clock_;
};

}  // namespace

std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
  return absl::StrCat("v1=",
                      crypto::HexEncode(crypto::HmacSha256(
                          secret, absl::StrCat(std::string(timestamp), ".", std::string(body)))));
}

std::unique_ptr<SmsProvider> MakeFileSmsProvider(std::filesystem::path directory) {
  return std::make_unique<FileSmsProvider>(std::move(directory));
}

absl::StatusOr<std::unique_ptr<SmsProvider>> MakeWebhookSmsProvider(
    const WebhookSmsOptions& options, const Clock& clock) {
  const bool https = options.url.rfind("https://", 0) == 0;
  const bool loopback = options.url.rfind("http://127.0.0.1:", 0) == 0 ||
                        options.url.rfind("http://localhost:", 0) == 0 ||
                        options.url.rfind("http://[::1]:", 0) == 0;
  if (!https && !loopback) {
    return absl::InvalidArgumentError(
        "notification.sms.webhook_url: an https:// URL (http:// only on loopback)");
  }
  if (options.url.find('@') != std::string::npos) {
    return absl::InvalidArgumentError("notification.sms.webhook_url: no credentials in the URL");
  }
  if (options.secret.size() < 16) {
    return absl::InvalidArgumentError(
        "notification.sms.webhook_secret: at least 16 characters, to sign the requests");
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted; thread-safe since 7.84
  return std::unique_ptr<SmsProvider>(new WebhookSmsProvider(options, clock));
}

}  // namespace travio::notification
