#pragma once

// One blocking hiredis connection. Private to platform/kv.

#include <hiredis/hiredis.h>

#include <memory>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "platform/kv/redis_store.h"

namespace travio::kv {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

/// The result of one command. An error reply from the server is an OK `reply`; `reply` fails
/// only when the connection itself failed.
struct CommandOutcome {
  absl::StatusOr<ReplyPtr> reply;
  /// False when the connection failed before the whole command was handed to the kernel: the
  /// server cannot have run it, so any command may be retried on another connection.
  bool maybe_sent = true;
  /// True when the connection broke (EOF, reset) rather than timing out.
  bool connection_lost = false;
};

class RedisConnection {
 public:
  /// Connects, applies the command timeout, and authenticates when `options.password` is set.
  /// kUnavailable when the server cannot be reached, kUnauthenticated when AUTH is refused.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisOptions& options);

  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends `args` as one binary-safe command and waits for its reply.
  CommandOutcome Command(std::span<const std::string_view> args);

  /// False once an I/O error has left the protocol stream in an unknown state.
  bool usable() const { return context_->err == 0; }

  /// Cheap check, without a round trip, that an idle connection was not closed by the server
  /// (restart, CLIENT KILL, idle timeout) while it sat in the pool.
  bool LooksAlive() const;

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const { redisFree(context); }
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  explicit RedisConnection(ContextPtr context) : context_(std::move(context)) {}

  ContextPtr context_;
};

}  // namespace travio::kv
