#pragma once

// Lends hiredis connections to callers and runs commands on them. Private to platform/kv.

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/kv/redis_connection.h"
#include "platform/kv/redis_store.h"

namespace travio::kv {

/// When a command whose connection broke is sent again on a fresh connection.
enum class Retry {
  /// Only when the command never fully left: running it twice would change the answer.
  kIfUnsent,
  /// Also when the reply was lost: running it twice leaves the same state and answer.
  kIdempotent,
};

/// At most `pool_size` connections, opened on demand; a connection with an I/O error, or one
/// the server closed while idle, is discarded and replaced on the next borrow. Thread-safe.
class RedisPool {
 public:
  /// Opens one connection at once, so an unreachable server or a wrong password is reported by
  /// the caller's constructor rather than by its first command.
  static absl::StatusOr<std::unique_ptr<RedisPool>> Open(const RedisOptions& options);

  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  /// Runs one command. An error reply is returned as a reply; the status fails only when no
  /// connection could run it (kUnavailable, kDeadlineExceeded, ...).
  absl::StatusOr<ReplyPtr> Execute(std::span<const std::string_view> args, Retry retry);

 private:
  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(RedisPool* pool, std::unique_ptr<RedisConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_ != nullptr) pool_->Return(std::move(connection_));
    }
    RedisConnection* operator->() const { return connection_.get(); }

   private:
    RedisPool* pool_;
    std::unique_ptr<RedisConnection> connection_;
  };

  explicit RedisPool(const RedisOptions& options) : options_(options) {}

  absl::StatusOr<Lease> Borrow();
  void Return(std::unique_ptr<RedisConnection> connection);
  // Gives back a slot reserved by Borrow whose connection could not be opened.
  void ReleaseSlot();

  const RedisOptions options_;
  absl::Mutex mu_;
  absl::CondVar slot_freed_;
  std::vector<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  // Idle, lent, and being opened.
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace travio::kv
