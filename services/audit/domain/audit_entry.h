#pragma once

// The audit log's vocabulary: facts as sources report them, entries chained in a log, signed
// checkpoints, and what verifying a log found.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace travio::audit {

/// The log of what no organization owns: sign-ins, new accounts, the platform's signing keys.
inline constexpr std::string_view kPlatformLog = "platform";
/// The entry the service appends when it finds a log's head below what it wrote there: the
/// entries in between are gone (rolled back), and the log says so (its source: "audit:...").
inline constexpr std::string_view kRolledBackAction = "audit.rolled_back";
/// The prev_hash of a log's first entry (32 zero bytes, hex).
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Something that happened, as its source reported it, before it joins a log.
struct AuditFact {
  std::string log;     // an organization id, or kPlatformLog
  std::string source;  // "event:<id>" or "gateway:<id>": a log keeps one entry per source, ever
  absl::Time at;
  std::string actor;   // a user id, "guest:<id>", or "service:<name>" when a service acted alone
  std::string action;  // "trip.cancelled", "session.signed_in", "POST /v1/trips/{trip_id}/cancel"
  std::string target;  // the id acted on, or empty
  std::string target_name;  // the target's name when the source knew it
  std::string details;      // a JSON object
  bool operator==(const AuditFact&) const = default;
};

/// A fact in its log: numbered from 1 and chained to the entry before. `seal` is the audit
/// service's secret-keyed tag of `hash`: anyone can compute a chain of hashes, only the service
/// can seal one, so entries written around it (with the database's credentials) show.
struct AuditEntry {
  AuditFact fact;
  int64_t seq = 0;
  std::string prev_hash;
  std::string hash;
  std::string seal;
  bool operator==(const AuditEntry&) const = default;
};

/// A signed statement that `log`'s entry `seq` had `hash` (`token`: a PASETO v4.public token
/// over them, by the audit service's current key). `every` is the spacing promised when it was
/// signed: the next checkpoint comes at most that many entries later, so checkpoints removed
/// (and entries rewritten after them) leave a gap that verification sees.
struct Checkpoint {
  std::string log;
  int64_t seq = 0;
  std::string hash;
  absl::Time at;
  int64_t every = 0;
  std::string token;
  bool operator==(const Checkpoint&) const = default;
};

/// A log's bookkeeping row: where its chain starts (after retention) and ends, and its last
/// checkpoint.
struct LogState {
  std::string log;
  int64_t first_seq = 1;
  std::string first_prev_hash = std::string(kGenesisHash);
  int64_t head_seq = 0;
  std::string head_hash = std::string(kGenesisHash);
  int64_t checkpoint_seq = 0;
  absl::Time checkpoint_at = absl::UnixEpoch();
  int64_t checkpoint_every = 0;  // the spacing the last checkpoint promised (0: none yet)
  std::string retention_token;   // signed by the last retention (empty: never retained)
};

/// Where a log's kept chain starts after a retention, as the retention signed it: only the
/// holder of a checkpoint key can move a log's start, so a prefix deleted with the database's
/// credentials alone does not pass for a retention.
struct Retention {
  std::string log;
  int64_t first_seq = 1;
  std::string first_prev_hash;
  absl::Time at;
};

/// What verifying a log found: ok with its length and head, or the first entry that does not
/// match and why.
struct Verification {
  bool ok = true;
  int64_t entries = 0;
  std::string head_hash = std::string(kGenesisHash);
  int64_t first_bad_seq = 0;
  std::string reason;
};

/// A page of one log, newest first.
struct AuditQuery {
  std::string log;
  std::string actor;   // exact, or empty for any
  std::string action;  // exact, or a prefix ending in '.' ("trip."), or empty for any
  std::optional<absl::Time> from;
  std::optional<absl::Time> to;  // exclusive
  std::optional<int64_t> before_seq;
  int limit = 50;
};

struct AuditPage {
  std::vector<AuditEntry> items;
  std::optional<int64_t> next_before_seq;
};

inline constexpr int kMaxPageSize = 200;
inline constexpr size_t kMaxDetailsBytes = 8 * 1024;

/// Bounds on what a source may report: kInvalidArgument naming the field. `details` is checked
/// for size only; its JSON is the codec's business.
absl::Status ValidateFact(const AuditFact& fact);
/// Bounds on a query: kInvalidArgument naming the field.
absl::Status ValidateQuery(const AuditQuery& query);

}  // namespace travio::audit
