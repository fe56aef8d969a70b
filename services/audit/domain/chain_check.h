#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/audit/domain/audit_entry.h"

namespace travio::audit {

/// A checkpoint as verification sees it: what it says, and whether its signature held.
struct CheckedCheckpoint {
  int64_t seq = 0;
  std::string hash;
  int64_t every = 0;  // the spacing it promised (0: unknown, nothing promised)
  bool signature_ok = false;
};

/// Walks one log's entries in sequence order and names the first that does not match: a gap,
/// a prev_hash that is not the hash before, content that does not give its hash, an entry
/// without the service's seal (written around it, however well it chains), an entry that
/// differs from a signed checkpoint, entries a checkpoint or the log's head promise but the
/// table lacks (its tail deleted), checkpoints further apart than they promised (removed, with
/// the entries after them rewritten), or a chain start that no signed retention moved and no
/// signed checkpoint vouches for. Hashing is the caller's: the canonical form is a wire format.
class ChainCheck {
 public:
  /// The hash `entry` should have, from its prev_hash and content; nullopt when the stored
  /// content cannot even be read.
  using Hasher = std::function<std::optional<std::string>(const AuditEntry&)>;
  /// Whether `entry` carries the audit service's seal.
  using SealCheck = std::function<bool(const AuditEntry&)>;

  /// `every`: the spacing checkpoints are signed with now (the head may be at most that far, or
  /// as far as the last checkpoint promised, past the last checkpoint).
  /// `retention`: what the log's retention token says, when its signature held.
  ChainCheck(const LogState& state, const std::vector<CheckedCheckpoint>& checkpoints,
             std::optional<Retention> retention, int64_t every, Hasher hash, SealCheck sealed);

  /// Checks only that the entries from `from_seq` (the first's prev_hash being `prev_hash`) up
  /// to `state`'s head link, hash and carry the seal, and end at that head: what the service
  /// checks before it signs a checkpoint after the last one it can vouch for.
  static ChainCheck Stretch(const LogState& state, int64_t from_seq, std::string prev_hash,
                            Hasher hash, SealCheck sealed);

  /// The highest seq of any row the log's table holds (read with the head): rows past the head
  /// were put there around the service.
  void RowsEndAt(int64_t highest_seq) { highest_seq_ = highest_seq; }

  /// Takes the next entry; false once a problem was found (feed no more).
  bool Feed(const AuditEntry& entry);
  Verification Finish() const;

 private:
  void Fail(int64_t seq, std::string reason);

  void CheckSpacing();

  LogState state_;
  std::map<int64_t, CheckedCheckpoint> checkpoints_;
  std::optional<CheckedCheckpoint> anchor_;  // the one at first_seq - 1, after retention
  std::optional<Retention> retention_;
  int64_t every_;
  Hasher hash_;
  SealCheck sealed_;
  int64_t next_seq_;
  std::string last_hash_;
  int64_t entries_ = 0;
  int64_t highest_seq_ = 0;
  bool whole_log_ = true;  // false for a Stretch: no checkpoints, promises or start to check
  std::optional<int64_t> bad_seq_;
  std::string reason_;
};

}  // namespace travio::audit
