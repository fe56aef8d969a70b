#pragma once

// The audit log's wire forms: the canonical JSON an entry's hash covers, the checkpoint tokens,
// and the JSON lines of an export. One codec for the service, its storage and its verifiers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/audit/api/audit_client.h"
#include "services/audit/domain/audit_entry.h"

namespace travio::audit {

/// `details` as canonical JSON (keys sorted, no insignificant space, numbers as nlohmann::json
/// writes them: integers exactly, fractions as the shortest text that reads back the same);
/// kInvalidArgument unless it is a JSON object in UTF-8. Empty text is the empty object.
absl::StatusOr<std::string> CanonicalDetails(std::string_view details);

/// The canonical JSON of an entry (without its hash and prev_hash): the members action, actor,
/// at (unix microseconds), details, log, seq, source, target and target_name, sorted, compact.
absl::StatusOr<std::string> CanonicalEntry(const AuditEntry& entry);

/// hex(SHA-256(prev_hash || canonical JSON)), prev_hash as its 64 hex characters.
absl::StatusOr<std::string> EntryHash(const AuditEntry& entry);

/// hex(HMAC-SHA256(key, hash)): the seal of an entry whose hash is `hash`.
std::string EntrySeal(std::string_view hash, std::string_view key);
/// Whether `entry.seal` is the seal of its hash under `key` (compared in constant time).
bool SealHolds(const AuditEntry& entry, std::string_view key);

/// A v4.public PASETO over {"log","seq","hash","at","every"} with the key's id in its footer.
absl::StatusOr<std::string> SignCheckpoint(const Checkpoint& checkpoint, std::string_view kid,
                                           std::string_view secret_key);
/// The checkpoint as its token says, when `checkpoint.token` is a valid signature by one of
/// `keys` over exactly the stored log, seq and hash (the spacing it promised comes from the
/// token); nullopt otherwise.
std::optional<Checkpoint> VerifyCheckpoint(const Checkpoint& checkpoint,
                                           const std::vector<AuditKey>& keys);
inline bool CheckpointSignatureHolds(const Checkpoint& checkpoint,
                                     const std::vector<AuditKey>& keys) {
  return VerifyCheckpoint(checkpoint, keys).has_value();
}

/// A v4.public PASETO over {"log","first_seq","first_prev_hash","at"}, kid in its footer.
absl::StatusOr<std::string> SignRetention(const Retention& retention, std::string_view kid,
                                          std::string_view secret_key);
/// What `token` says, when it is a valid retention signature by one of `keys` for `log`;
/// nullopt otherwise.
std::optional<Retention> VerifyRetention(std::string_view token, std::string_view log,
                                         const std::vector<AuditKey>& keys);

/// One line of an export: the entry with its hash, prev_hash and seal, as JSON.
std::string ExportLine(const AuditEntry& entry);
/// A checkpoint line of an export: {"log","checkpoint_seq","checkpoint_hash","token"}, so an
/// exported log can be checked with the published keys alone.
std::string ExportCheckpointLine(const Checkpoint& checkpoint);
/// The last line of an export: where its chain starts (the prev_hash of its first entry) and
/// the head it ends at, {"log","anchor_seq","anchor_prev_hash","head_seq","head_hash"}, and the
/// retention's token ("retention") when a retention moved that start.
std::string ExportSummaryLine(const LogState& state);

}  // namespace travio::audit
