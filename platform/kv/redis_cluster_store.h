#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/redis_store.h"

namespace travio::kv {

struct RedisClusterOptions {
  /// Some of the cluster's nodes (host, port); the others are found with CLUSTER SLOTS.
  std::vector<std::pair<std::string, int>> seeds;
  /// Pool size, timeout, password and client name for the connections to each node (host and
  /// port are ignored).
  RedisOptions node;
  /// How often one call follows a MOVED or ASK redirect (re-reading the slot map) before
  /// giving up with kUnavailable.
  int max_redirects = 5;
};

/// A KeyValueStore on a Redis Cluster: each call goes to the master owning its key's slot,
/// and a MOVED or ASK answer (a slot that moved) re-reads the slot map and tries again. A
/// script's keys must share one slot (one hash tag, such as `{trip:<id>}`), or the call fails
/// with kInvalidArgument before anything is sent. hiredis 0.14 has no cluster support and
/// Debian has no cluster client, hence this small router over standalone connections.
absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRedisCluster(const RedisClusterOptions& options);

/// The cluster slot of `key`, 0..16383: CRC16 (XMODEM) of its hash tag (the text between the
/// first '{' and the next '}', when not empty) or of the whole key, modulo 16384.
int ClusterSlot(std::string_view key);

}  // namespace travio::kv
