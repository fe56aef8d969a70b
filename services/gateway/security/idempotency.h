#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/http/message.h"
#include "platform/http/problem.h"
#include "platform/kv/gcra.h"
#include "platform/kv/key_value_store.h"

namespace travio::gateway {

struct IdempotencySettings {
  /// How long a completed request's answer is kept for replays (at least 24 h, api.md).
  absl::Duration keep = absl::Hours(24);
  /// How long a request may run before its key counts as abandoned (a crashed gateway) and a
  /// retry runs it again.
  absl::Duration lock = absl::Seconds(90);
  /// New keys one caller may claim per 24 h (0: no cap), so a caller cannot fill the store
  /// with keys; beyond it, 429 `rate_limited`.
  int64_t keys_per_caller_per_day = 2000;
};

/// The `Idempotency-Key` header for the routes that declare it (IETF draft
/// draft-ietf-httpapi-idempotency-key-header, api.md), on the hot-state store (memory or
/// Redis). Keys are scoped to the caller and the route; the request is fingerprinted (SHA-256
/// of method, path, query and body).
///  - no key, or one that is not 1 to 255 printable characters (a quoted sf-string or bare):
///    400 `idempotency_key_missing`;
///  - the key with another request: 422 `idempotency_key_reused`;
///  - while the first is running: 409 `request_in_progress` with Retry-After;
///  - once it completed: its status and body again, with `Idempotent-Replayed: true`.
/// Answers of 5xx are not kept: the key is released so a retry runs again, the handler's own
/// effects being idempotent or undone (the booking saga resumes). Neither are refusals that
/// changed nothing and cost nothing to repeat (400 and 422: the request was invalid; 429):
/// cheap bad requests must not fill the store, and a corrected retry may reuse the key. Should
/// keeping an answer fail, the key stays claimed until `lock` passes.
class Idempotency {
 public:
  Idempotency(kv::KeyValueStore& store, const Clock& clock, IdempotencySettings settings);

  /// Runs `handler` at most once per (scope, method, route, key) while its answer is kept.
  http::Response Run(const http::Request& request, const std::string& scope,
                     const std::function<http::Response()>& handler) const;

 private:
  kv::KeyValueStore& store_;
  kv::Gcra keys_;
  IdempotencySettings settings_;
};

/// A request's identity across its retries, for a service that keeps its own record of what
/// the request made (the order service: the order of a hold, the payment of an order) and so
/// answers a retry the gateway no longer remembers (its key released after a 5xx, its record
/// lost with a killed gateway): SHA-256 of `caller`, the method, the route and the
/// Idempotency-Key as Run reads it, in hex; empty without a valid key. The caller is in it as
/// in Run's scope (staff taking cash for another's counter sale are another request); the body
/// is not: a payment's carries the card, of which nothing may be kept, not even a hash.
std::string RetryIdentity(const http::Request& request, std::string_view caller);

}  // namespace travio::gateway
