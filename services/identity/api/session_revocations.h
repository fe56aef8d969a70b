#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/kv/key_value_store.h"

namespace travio::identity {

/// Ended login sessions, kept in the shared hot-state store: identity writes them at logout
/// and on refresh-token reuse, every gateway reads them on each authenticated request (one key
/// lookup). An entry lives as long as the longest access token, after which every token of
/// the session has expired anyway.
class SessionRevocations {
 public:
  SessionRevocations(kv::KeyValueStore& store, absl::Duration access_token_lifetime)
      : store_(store), lifetime_(access_token_lifetime) {}

  absl::Status Revoke(std::string_view session_id);
  /// Fails (kUnavailable) when the store cannot answer: the caller must then refuse the
  /// request rather than guess.
  absl::StatusOr<bool> IsRevoked(std::string_view session_id) const;

 private:
  kv::KeyValueStore& store_;
  absl::Duration lifetime_;
};

}  // namespace travio::identity
