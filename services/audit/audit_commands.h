#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/config/config.h"
#include "platform/db/database.h"
#include "services/audit/app/ports.h"

namespace travio::audit {

/// `travio keys list|rotate --service audit`: the keys that sign checkpoints (audit.keys_dir,
/// else <data_dir>/keys/audit). `retire` is refused: checkpoints are verified with the key that
/// signed them for as long as they are kept. Restart every audit process after a rotation.
absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out);

/// `travio audit export --log L`: the log as JSON lines on `out` (sql_audit_store.h, ExportLog).
absl::Status RunExportCommand(db::Database& database, const std::string& log, std::ostream& out);

/// `travio audit verify --log L`: what GET /v1/audit/verify answers, from the database and the
/// key ring on this machine; prints "ok: N entries, head H" or "broken at entry N: reason" and
/// fails (kDataLoss) when the log does not verify.
absl::Status RunVerifyCommand(const config::Config& config, db::Database& database,
                              const std::string& log, std::ostream& out);

/// Verifies `log` and refuses to cut it when it is broken (the entries removed would take the
/// evidence with them); then removes the entries before `before_seq` with a retention signed by
/// `keys` (sql_audit_store.h, RetainLog). Returns how many entries went.
absl::StatusOr<int64_t> VerifyAndRetain(db::Database& database, CheckpointKeys& keys,
                                        const Clock& clock, const std::string& log,
                                        int64_t before_seq, int64_t checkpoint_every);

/// `travio audit retain --log L --before-seq N`: verifies the log (refusing to cut a broken
/// one), then removes the entries before N with a retention signed by the checkpoint key, so the
/// chain verifies from N (sql_audit_store.h, RetainLog); says how many went on `out`.
absl::Status RunRetainCommand(const config::Config& config, db::Database& database,
                              const std::string& log, int64_t before_seq, std::ostream& out);

}  // namespace travio::audit
