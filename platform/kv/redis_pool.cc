#include "platform/kv/redis_pool.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "platform/base/status_macros.h"

namespace travio::kv {

absl::StatusOr<std::unique_ptr<RedisPool>> RedisPool::Open(const RedisOptions& options) {
  std::unique_ptr<RedisPool> pool(new RedisPool(options));
  TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<RedisConnection> first, RedisConnection::Open(options));
  {
    absl::MutexLock lock(&pool->mu_);
    pool->idle_.push_back(std::move(first));
    pool->open_ = 1;
  }
  return pool;
}

absl::StatusOr<ReplyPtr> RedisPool::Execute(std::span<const std::string_view> args, Retry retry) {
  for (int attempt = 1;; ++attempt) {
    TRAVIO_ASSIGN_OR_RETURN(Lease lease, Borrow());
    CommandOutcome outcome = lease->Command(args);
    // Timeouts are never retried: the server is slow, not gone, and the caller's latency
    // budget is already spent.
    const bool retryable =
        outcome.connection_lost && (!outcome.maybe_sent || retry == Retry::kIdempotent);
    if (outcome.reply.ok() || !retryable || attempt == 2) return std::move(outcome.reply);
  }
}

absl::StatusOr<RedisPool::Lease> RedisPool::Borrow() {
  std::unique_ptr<RedisConnection> connection;
  {
    absl::MutexLock lock(&mu_);
    const absl::Time deadline = absl::Now() + options_.timeout;
    while (idle_.empty() && open_ >= options_.pool_size) {
      if (slot_freed_.WaitWithDeadline(&mu_, deadline) && idle_.empty() &&
          open_ >= options_.pool_size) {
        return absl::DeadlineExceededError(absl::StrCat("all ", options_.pool_size,
                                                        " Redis connections stayed busy for ",
                                                        absl::FormatDuration(options_.timeout)));
      }
    }
    if (idle_.empty()) {
      ++open_;
    } else {
      // Most recently used first: it is the least likely to have been closed while idle.
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (connection != nullptr && !connection->LooksAlive()) connection.reset();
  if (connection == nullptr) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> opened = RedisConnection::Open(options_);
    if (!opened.ok()) {
      ReleaseSlot();
      return opened.status();
    }
    connection = *std::move(opened);
  }
  return Lease(this, std::move(connection));
}

void RedisPool::Return(std::unique_ptr<RedisConnection> connection) {
  std::unique_ptr<RedisConnection> broken;
  {
    absl::MutexLock lock(&mu_);
    if (connection->usable()) {
      idle_.push_back(std::move(connection));
    } else {
      broken = std::move(connection);
      --open_;
    }
  }
  slot_freed_.Signal();
}

void RedisPool::ReleaseSlot() {
  {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  slot_freed_.Signal();
}

}  // namespace travio::kv
