#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "platform/base/clock.h"
#include "platform/events/bus.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/audit/api/audit_client.h"
#include "services/audit/app/ports.h"
#include "services/audit/domain/chain_check.h"

namespace travio::audit {

/// How often checkpoints are signed: after `every` entries of a log, and for a log that moved
/// less, `interval` after its last checkpoint.
struct CheckpointPolicy {
  int64_t every = 1000;
  absl::Duration interval = absl::Minutes(5);
  int idle_page = 100;  // logs read at once when looking for idle ones,
  int idle_pages = 50;  // and pages looked at per run
};

/// One mutex per log name, held while any caller needs it: appends to one log take turns,
/// appends to others do not wait for them.
class LogTurns {
 public:
  class Turn {
   public:
    Turn(LogTurns& turns, std::string log, std::shared_ptr<absl::Mutex> mutex);
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    LogTurns& turns_;
    std::string log_;
    std::shared_ptr<absl::Mutex> mutex_;
  };
  /// Waits for `log`'s turn; it lasts as long as the Turn.
  Turn Take(const std::string& log);

 private:
  struct Entry {
    std::shared_ptr<absl::Mutex> mutex;
    int users = 0;
  };
  absl::Mutex mutex_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mutex_);
};

/// What an event says about who acted on what; empty members take the event's defaults (the
/// producing service, the event's aggregate).
struct EventParties {
  std::string actor;
  std::string target;
  std::string target_name;
};

/// The audit log: one hash chain per organization (and one for the platform), fed by the
/// services' events and by the actions the gateway saw, exactly once per source, with signed
/// checkpoints.
class AuditService final : public AuditClient {
 public:
  struct Ports {
    AuditStore& store;
    CheckpointKeys& keys;
    const Clock& clock;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
  };
  AuditService(Ports ports, CheckpointPolicy policy);

  absl::Status Record(const AuditFact& fact) override;
  absl::StatusOr<AuditPage> List(const AuditQuery& query) override;
  absl::StatusOr<Verification> Verify(const std::string& log) override;
  absl::StatusOr<std::vector<AuditKey>> VerificationKeys() override;

  /// Appends `event` (from `producer`) to its organization's log, or the platform's.
  absl::Status RecordEvent(const events::Event& event, std::string_view producer,
                           const EventParties& parties);
  /// Signs a checkpoint of every log that moved since its last one, made `interval` ago.
  void CheckpointIdleLogs();

 private:
  absl::Status Append(AuditFact fact, std::string_view origin);
  /// `fact` as entry `seq` after `prev_hash`, hashed and sealed.
  AuditEntry SealAfter(const AuditFact& fact, int64_t seq, const std::string& prev_hash) const;
  /// The entry saying that `found`'s head is below entry `written`, which this process wrote.
  AuditEntry RolledBackNotice(const LogState& found, int64_t written) const;
  /// Whether `log` was refused a checkpoint less than the policy's `every` entries before `seq`.
  bool RefusedRecently(const std::string& log, int64_t seq);
  /// A checkpoint of `seq` (with `hash`, just after `state`'s head or at it), unless the entries
  /// since the last checkpoint this service can vouch for are not all its own: nullopt then,
  /// and no new attempt for that log until the policy's `every` entries later.
  absl::StatusOr<std::optional<Checkpoint>> SignIfSound(const LogState& state, LogReader& log,
                                                        int64_t seq, const std::string& hash);
  /// Whether the entries after the newest checkpoint with a valid signature (or the log's
  /// signed start) up to `state`'s head link, hash and carry the seal.
  absl::Status CheckSinceLastCheckpoint(const LogState& state, LogReader& log);
  absl::StatusOr<Checkpoint> Sign(const std::string& log, int64_t seq, const std::string& hash);
  ChainCheck::SealCheck SealCheck() const;

  Ports ports_;
  CheckpointPolicy policy_;
  metrics::Family<metrics::Counter>* appended_ = nullptr;
  metrics::Family<metrics::Counter>* checkpoints_ = nullptr;
  metrics::Family<metrics::Counter>* refusals_ = nullptr;
  metrics::Family<metrics::Counter>* rollbacks_ = nullptr;
  absl::Mutex refused_mutex_;
  std::map<std::string, int64_t> refused_at_ ABSL_GUARDED_BY(refused_mutex_);  // log -> seq
  // The highest entry this process appended to each log: a head found below it was rolled
  // back under the service (only while the process runs; replicas each keep their own).
  LogTurns append_turns_;
  absl::Mutex idle_mutex_;
  std::string idle_cursor_ ABSL_GUARDED_BY(idle_mutex_);  // the last log looked at when idle
  absl::Mutex written_mutex_;
  std::map<std::string, int64_t> highest_written_ ABSL_GUARDED_BY(written_mutex_);
};

/// Subscribes `service` to the events the log keeps: identity's, the fleet's, the catalog's,
/// staff seat blocks, orders, payments and tickets. Holds and bookings are left out: each sale
/// is in the log as its order, payment and tickets already.
void FollowEvents(events::Bus& bus, std::shared_ptr<AuditService> service,
                  const log::Logger& logger);

}  // namespace travio::audit
