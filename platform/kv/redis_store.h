#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/kv/key_value_store.h"

namespace travio::kv {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  /// Connections kept open; each call borrows one.
  int pool_size = 8;
  /// Connect and per-command timeout.
  absl::Duration timeout = absl::Seconds(2);
  /// Sent with AUTH when not empty.
  std::string password;
  /// Sent with CLIENT SETNAME when not empty, so this store's connections can be told apart in
  /// CLIENT LIST (operators; tests that kill them).
  std::string client_name;
};

/// A KeyValueStore on a standalone Redis server through hiredis. Expiry is judged by the Redis
/// server's clock. Broken connections are replaced on the next call.
absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRedis(const RedisOptions& options);

}  // namespace travio::kv
