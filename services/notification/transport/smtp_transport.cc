#include "services/notification/transport/smtp_transport.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::notification {
namespace {

absl::Status BadOption(std::string_view message) {
  return absl::InvalidArgumentError(ToAbsl(message));
}

// Checks "smtp[s]://host[:port]" with nothing else: credentials go in their own keys, never in
// a URL that may be printed.
absl::Status ValidateUrl(const std::string& url) {
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "smtp://") || absl::ConsumePrefix(&rest, "smtps://")) {
    if (absl::EndsWith(rest, "/")) rest.remove_suffix(1);
    if (rest.empty()) return BadOption("notification.smtp.url has no host");
    if (rest.find_first_of("@/?#") != absl::string_view::npos) {
      return BadOption(
          "notification.smtp.url must be smtp://host:port or smtps://host:port without "
          "credentials or a path (use notification.smtp.username and .password)");
    }
    return absl::OkStatus();
  }
  return BadOption("notification.smtp.url is not smtp://host:port or smtps://host:port");
}

// The libcurl read callback: copies the next part of the message.
struct Reader {
  std::string_view remaining;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* reader = static_cast<Reader*>(user);
  const size_t n = std::min(size * count, reader->remaining.size());
  std::memcpy(buffer, reader->remaining.data(), n);
  reader->remaining.remove_prefix(n);
  return n;
}

class SmtpTransport final : public EmailTransport {
 public:
  explicit SmtpTransport(SmtpOptions options) : options_(std::move(options)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted; thread-safe since 7.84
  }
  ~SmtpTransport() override { curl_global_cleanup(); }

  std::string_view name() const override { return "smtp"; }

  absl::Status Deliver(const OutgoingMessage& message) override {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Failed("cannot create a libcurl handle");
    const std::string from = absl::StrCat("<", message.envelope_from, ">");
    const std::string to = absl::StrCat("<", message.envelope_to, ">");
    curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
    Reader reader{message.data};
    char error[CURL_ERROR_SIZE] = {0};
    const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(options_.timeout));

    curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never a proxy from the environment
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     options_.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                          : static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.username.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.data.size()));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadMessage);
    curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

    const CURLcode code = curl_easy_perform(curl);
    long response = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code == CURLE_OK) return absl::OkStatus();
    return Failed(absl::StrCat("SMTP delivery failed: ", curl_easy_strerror(code),
                               error[0] != 0 ? absl::StrCat(" (", error, ")") : "",
                               response != 0 ? absl::StrCat(", last reply ", response) : ""));
  }

 private:
  static absl::Status Failed(std::string_view message) {
    return Error(reasons::kEmailTransportFailed, message);
  }

  SmtpOptions options_;
};

}  // namespace

absl::StatusOr<std::shared_ptr<EmailTransport>> MakeSmtpTransport(SmtpOptions options) {
  if (absl::Status status = ValidateUrl(options.url); !status.ok()) return status;
  if (!options.ca_file.empty() && ::access(options.ca_file.c_str(), R_OK) != 0) {
    return BadOption(
        absl::StrCat("notification.smtp.ca_file ", options.ca_file, " cannot be read"));
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return BadOption("notification.smtp.timeout must be positive");
  }
  return std::shared_ptr<EmailTransport>(std::make_shared<SmtpTransport>(std::move(options)));
}

}  // namespace travio::notification
