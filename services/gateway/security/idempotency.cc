#include "services/gateway/security/idempotency.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/text.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::gateway {
namespace {

using nlohmann::json;

// The key as sent: an sf-string ("...") per the draft, or a bare token from older clients.
std::optional<std::string> KeyOf(const http::Request& request) {
  std::optional<std::string> header = request.Header("Idempotency-Key");
  if (!header) return std::nullopt;
  std::string key = *header;
  if (key.size() >= 2 && key.front() == '"' && key.back() == '"')
    key = key.substr(1, key.size() - 2);
  if (key.empty() || key.size() > 255) return std::nullopt;
  for (char c : key) {
    if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') return std::nullopt;
  }
  return key;
}

http::Response Refuse(const Reason& reason, std::string_view message) {
  return http::ProblemFromStatus(Error(reason, message));
}

}  // namespace

std::string RetryIdentity(const http::Request& request, std::string_view caller) {
  const std::optional<std::string> key = KeyOf(request);
  if (!key) return "";
  return crypto::HexEncode(crypto::Sha256(absl::StrCat(
      "retry\n", std::string(caller), "\n", request.method, "\n", request.route, "\n", *key)));
}

Idempotency::Idempotency(kv::KeyValueStore& store, const Clock& clock, IdempotencySettings settings)
    : store_(store), keys_(store, clock), settings_(settings) {}

http::Response Idempotency::Run(const http::Request& request, const std::string& scope,
                                const std::function<http::Response()>& handler) const {
  const std::optional<std::string> key = KeyOf(request);
  if (!key) {
    return Refuse(reasons::kIdempotencyKeyMissing,
                  "This request needs an Idempotency-Key header: 1 to 255 printable characters, "
                  "unique per request (a UUID).");
  }
  // The caller's key, hashed with who sent it and where: another caller's identical key is
  // another entry, and nothing a client sends becomes part of a store key as such.
  const std::string entry =
      "idem:" + crypto::HexEncode(crypto::Sha256(scope + "\n" + request.method + "\n" +
                                                 request.route + "\n" + *key));
  const std::string fingerprint = crypto::HexEncode(crypto::Sha256(
      request.method + "\n" + request.path + "\n" + request.query + "\n" + request.body));

  const std::string pending = json{{"state", "pending"}, {"fingerprint", fingerprint}}.dump();
  absl::StatusOr<bool> claimed = store_.SetIfAbsent(entry, pending, settings_.lock);
  if (!claimed.ok()) return http::ProblemFromStatus(claimed.status());
  if (!*claimed) {
    absl::StatusOr<std::optional<std::string>> stored = store_.Get(entry);
    if (!stored.ok()) return http::ProblemFromStatus(stored.status());
    const json record = stored->has_value() ? json::parse(**stored, nullptr, false) : json();
    if (!record.is_object()) {
      // Gone between the two calls (released or expired): the client may simply retry.
      return http::ProblemFromStatus(
          WithRetryAfter(Error(reasons::kRequestInProgress,
                               "A request with this Idempotency-Key just ended; retry."),
                         absl::Seconds(1)));
    }
    if (record.value("fingerprint", "") != fingerprint) {
      return Refuse(reasons::kIdempotencyKeyReused,
                    "This Idempotency-Key was used for another request.");
    }
    if (record.value("state", "") != "done") {
      return http::ProblemFromStatus(
          WithRetryAfter(Error(reasons::kRequestInProgress,
                               "The first request with this Idempotency-Key is still running."),
                         absl::Seconds(1)));
    }
    // Text is kept as it is (`body`), other bytes encoded (`body64`).
    const std::string body = record.contains("body64")
                                 ? crypto::Base64UrlDecode(record.value("body64", "")).value_or("")
                                 : record.value("body", "");
    http::Response replay = http::Response::Text(record.value("status", 500), body,
                                                 record.value("content_type", "application/json"));
    replay.SetHeader("Idempotent-Replayed", "true");
    return replay;
  }

  if (settings_.keys_per_caller_per_day > 0) {
    const kv::Rate per_day{.quota = settings_.keys_per_caller_per_day, .period = absl::Hours(24)};
    absl::StatusOr<kv::RateDecision> budget =
        keys_.Take("idem-keys:" + crypto::HexEncode(crypto::Sha256(scope)), per_day);
    if (budget.ok() && !budget->allowed) {
      (void)store_.CompareAndDelete(entry, pending);
      return http::ProblemFromStatus(WithRetryAfter(
          Error(reasons::kRateLimited, "Too many new requests from this caller today."),
          budget->retry_after));
    }
  }
  http::Response response = handler();
  const bool refused_cheaply =
      response.status == 400 || response.status == 422 || response.status == 429;
  const bool keep = response.status < 500 && !refused_cheaply && response.stream == nullptr;
  if (!keep) {
    (void)store_.CompareAndDelete(entry, pending);
    return response;
  }
  std::string content_type = "application/json";
  if (auto it = response.headers.find("Content-Type"); it != response.headers.end()) {
    content_type = it->second;
  }
  json record = {{"state", "done"},
                 {"fingerprint", fingerprint},
                 {"status", response.status},
                 {"content_type", content_type}};
  // A body is bytes (a PDF, text in any encoding) and JSON strings are UTF-8: anything but
  // printable UTF-8 (our compact JSON answers are) is kept encoded. Text stays `body`, which
  // gateways of the previous release read during a rolling upgrade.
  if (IsPrintableUtf8(response.body)) {
    record["body"] = response.body;
  } else {
    record["body64"] = crypto::Base64UrlEncode(response.body);
  }
  const std::string done = record.dump(-1, ' ', false, json::error_handler_t::replace);
  (void)store_.Set(entry, done, settings_.keep);
  return response;
}

}  // namespace travio::gateway
