#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace travio::kv {

/// What a script returns: the subset of Redis replies that Lua scripts produce.
struct ScriptReply {
  using Array = std::vector<ScriptReply>;
  std::variant<std::monostate, int64_t, std::string, Array> value;

  bool is_nil() const { return std::holds_alternative<std::monostate>(value); }
  int64_t integer() const { return std::get<int64_t>(value); }
  const std::string& text() const { return std::get<std::string>(value); }
  const Array& array() const { return std::get<Array>(value); }
  bool operator==(const ScriptReply&) const = default;
};

/// The memory adapter's view of the store while a script runs: every call happens under the
/// store's lock, so a native script is as atomic as a Lua script on Redis.
class ScriptContext {
 public:
  virtual ~ScriptContext() = default;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  /// `ttl` of zero keeps the key forever.
  virtual void Set(std::string_view key, std::string_view value, absl::Duration ttl) = 0;
  virtual bool Delete(std::string_view key) = 0;
  /// Remaining time to live; nullopt when the key is missing or has no expiry.
  virtual std::optional<absl::Duration> Ttl(std::string_view key) = 0;
};

/// A script that runs atomically on either adapter: `lua` on Redis (EVALSHA, falling back to
/// EVAL), `native` on the memory adapter. Both must behave the same; every script is covered by
/// the key-value contract suite or by its own module's contract suite. On Redis Cluster every
/// key must share one hash tag.
struct Script {
  std::string name;
  std::string lua;
  std::function<ScriptReply(ScriptContext&, std::span<const std::string> keys,
                            std::span<const std::string> args)>
      native;
};

/// Short-lived shared state: holds, idempotency keys, rate-limit counters, queue counters.
/// Thread-safe. Errors: kUnavailable when the backend cannot be reached,
/// kDeadlineExceeded on timeout, kInternal for an unexpected reply.
class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;

  virtual absl::StatusOr<std::optional<std::string>> Get(std::string_view key) = 0;
  /// Stores `value`; a `ttl` of zero keeps it until deleted.
  virtual absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) = 0;
  /// Stores `value` only when `key` is absent (or expired); true when it was stored.
  virtual absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                           absl::Duration ttl) = 0;
  /// Deletes `key` only while it holds `expected`; true when it was deleted. The building
  /// block of safe lock release.
  virtual absl::StatusOr<bool> CompareAndDelete(std::string_view key,
                                                std::string_view expected) = 0;
  /// True when a key was deleted.
  virtual absl::StatusOr<bool> Delete(std::string_view key) = 0;
  /// Adds `delta` to the integer at `key` (0 when absent) and returns the new value. When the
  /// key is created by this call and `ttl` is not zero, it expires after `ttl`. Fails with
  /// kFailedPrecondition when the key holds something that is not an integer.
  virtual absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                            absl::Duration ttl) = 0;
  /// Remaining time to live; nullopt when the key is missing or never expires.
  virtual absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) = 0;
  /// Runs `script` atomically.
  virtual absl::StatusOr<ScriptReply> Run(const Script& script, std::span<const std::string> keys,
                                          std::span<const std::string> args) = 0;
  /// True when calls never wait on a network (the memory adapter): an I/O thread may make them.
  virtual bool InProcess() const { return false; }
};

}  // namespace travio::kv
