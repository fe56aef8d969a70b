#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/audit/api/audit_client.h"
#include "services/audit/domain/audit_entry.h"

namespace travio::audit {

/// One log as the transaction appending to it (or checkpointing it) sees it.
class LogReader {
 public:
  virtual ~LogReader() = default;
  /// Up to `limit` entries from `from_seq` on, in order.
  virtual absl::StatusOr<std::vector<AuditEntry>> Scan(int64_t from_seq, int limit) = 0;
  /// Up to `limit` checkpoints, the newest first, as stored (their signatures unchecked).
  virtual absl::StatusOr<std::vector<Checkpoint>> RecentCheckpoints(int limit) = 0;
};

/// What an append adds after the log's head: the entry (after a notice of the service's own,
/// when it has one to make first), and the checkpoints of those that are due one.
struct Sealed {
  std::optional<AuditEntry> notice;
  AuditEntry entry;
  std::vector<Checkpoint> checkpoints;
};
using Sealer = std::function<absl::StatusOr<Sealed>(const LogState& state, LogReader& log)>;
/// The checkpoint of the log's head to add, if any.
using CheckpointSealer =
    std::function<absl::StatusOr<std::optional<Checkpoint>>(const LogState& state, LogReader& log)>;

/// A log's bookkeeping and its checkpoints, read together.
struct LogSnapshot {
  LogState state;
  std::vector<Checkpoint> checkpoints;
  int64_t highest_seq = 0;  // of any row of the log's (rows past the head were put there)
};

/// The logs, append-only: nothing here changes or removes an entry or a checkpoint.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  /// In one transaction holding the log (creating it if new): unless the log has an entry from
  /// `fact.source` already, asks `seal` for what follows the head it sees (reading the log in
  /// that transaction), appends it and moves the head. nullopt when the source was there
  /// already.
  virtual absl::StatusOr<std::optional<AuditEntry>> Append(const AuditFact& fact,
                                                           const Sealer& seal) = 0;
  /// Up to `query.limit` entries matching it between the log's start and head, newest first.
  virtual absl::StatusOr<std::vector<AuditEntry>> Query(const AuditQuery& query) = 0;
  /// Up to `limit` entries of `log` from `from_seq` on, in order.
  virtual absl::StatusOr<std::vector<AuditEntry>> Scan(const std::string& log, int64_t from_seq,
                                                       int limit) = 0;
  /// The log's bookkeeping; nullopt for a log with no entry yet.
  virtual absl::StatusOr<std::optional<LogState>> State(const std::string& log) = 0;
  virtual absl::StatusOr<std::vector<Checkpoint>> Checkpoints(const std::string& log) = 0;
  /// State and Checkpoints as of one instant (a checkpoint signed between two reads would
  /// look like a broken promise); nullopt for a log with no entry yet.
  virtual absl::StatusOr<std::optional<LogSnapshot>> Snapshot(const std::string& log) = 0;
  /// Up to `limit` logs named after `after_log`, in name order, with entries after their last
  /// checkpoint, which was made before `before`.
  virtual absl::StatusOr<std::vector<LogState>> DueForCheckpoint(absl::Time before,
                                                                 const std::string& after_log,
                                                                 int limit) = 0;
  /// In one transaction holding the log: when its head is past its last checkpoint, asks
  /// `seal` for a checkpoint of the head and adds it. What was added, if anything.
  virtual absl::StatusOr<std::optional<Checkpoint>> CheckpointHead(
      const std::string& log, const CheckpointSealer& seal) = 0;
};

/// The keys the logs are sealed with: the Ed25519 keys checkpoints are signed with, and the
/// secret key of the entries' seals.
class CheckpointKeys {
 public:
  virtual ~CheckpointKeys() = default;
  /// 32 secret bytes; never leave the audit service.
  virtual const std::string& seal_key() const = 0;
  virtual const std::string& kid() const = 0;
  virtual const std::string& secret_key() const = 0;
  /// Every key that verifies, the current one first.
  virtual std::vector<AuditKey> public_keys() const = 0;
  /// Reads the verifying keys again: another replica, restarted after a rotation, signs with a
  /// key this process has not seen. The signing key stays until a restart.
  virtual absl::Status Refresh() = 0;
};

}  // namespace travio::audit
