#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"

namespace travio::events {

/// A module's transactional outbox: the table `<module>_outbox` in the module's database.
/// Events are appended in the caller's transaction, so they exist exactly when the state
/// change they describe was committed. A module whose state lives elsewhere (inventory's seat
/// ledger, in memory or Redis) appends its event alone, on the database itself, after the
/// change.
class Outbox {
 public:
  Outbox(std::string module, db::Database& database);

  /// Creates the table; idempotent. Applied under the migration module `<module>.outbox`.
  absl::Status Migrate();

  /// Appends `event` in `transaction` (rolled back with it), or alone when given the database.
  absl::Status Append(db::Session& transaction, const Event& event);

  /// Up to `limit` events not yet relayed, oldest first (read on `session`, the database by
  /// default).
  absl::StatusOr<std::vector<std::pair<int64_t, Event>>> Pending(int limit);
  absl::StatusOr<std::vector<std::pair<int64_t, Event>>> Pending(db::Session& session, int limit);
  /// Marks the events at `sequences` relayed, in one statement.
  absl::Status MarkRelayed(std::span<const int64_t> sequences, absl::Time at);
  absl::Status MarkRelayed(db::Session& session, std::span<const int64_t> sequences, absl::Time at);

  /// Takes, or renews, the lease that makes `holder` the one relay of this outbox among the
  /// processes sharing its database (replicas of a target), until `now + lease`: true when it
  /// holds it, false while another holder's lease runs. A holder that died loses it when the
  /// lease runs out. Always true on SQLite, whose file belongs to one process.
  absl::StatusOr<bool> TakeRelayLease(const std::string& holder, absl::Time now,
                                      absl::Duration lease);
  /// Gives the lease up, if `holder` holds it, so another takes over at once.
  absl::Status ReleaseRelayLease(const std::string& holder);

  const std::string& table() const { return table_; }

 private:
  std::string module_;
  std::string table_;
  std::string create_sql_;
  db::Database& database_;
};

/// Consumer-side deduplication: `<module>_inbox(consumer, event_id)` rows written in the same
/// transaction as the consumer's effect.
class Inbox {
 public:
  Inbox(std::string module, db::Database& database);
  absl::Status Migrate();

  /// Runs `effect` and records the event in one transaction, unless `consumer` already
  /// processed `event`. Returns false for a duplicate (nothing run).
  absl::StatusOr<bool> Process(const std::string& consumer, const Event& event,
                               const std::function<absl::Status(db::Transaction&)>& effect);

 private:
  std::string module_;
  std::string table_;
  std::string create_sql_;
  db::Database& database_;
};

/// Moves events from an outbox to a publisher (the bus, or a broker), in order, on a thread of its
/// own. An event whose delivery fails stops the relay (per-aggregate order is kept) until a retry
/// with backoff succeeds. Each pass sets `lag` (when given) to the age of the oldest event
/// still waiting, in seconds: 0 when none waits; growing while delivery fails. Of the relays
/// of one outbox in several processes (replicas), one relays at a time: the holder of its
/// lease (Outbox::TakeRelayLease, renewed every pass); the others only measure the lag, and
/// take over when the holder stops or its lease runs out.
class Relay {
 public:
  Relay(Outbox& outbox, Publisher& publisher, const Clock& clock, const log::Logger& logger,
        absl::Duration poll_interval = absl::Milliseconds(200), metrics::Gauge* lag = nullptr);
  ~Relay();

  void Start();
  /// Relays what is pending now, then stops the thread.
  void Stop();
  /// Asks the relay to look now (after a commit) instead of at the next poll.
  void Wake();
  /// Relays everything pending once, on the caller's thread (tests, shutdown).
  absl::Status RelayPending();

 private:
  void Run();

  Outbox& outbox_;
  Publisher& publisher_;
  const Clock& clock_;
  log::Logger logger_;
  absl::Duration poll_interval_;
  metrics::Gauge* lag_;
  std::string holder_;  // this relay's name on the lease
  std::mutex mutex_;
  std::mutex relay_mutex_;  // one relaying pass at a time
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace travio::events
