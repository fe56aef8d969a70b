#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "platform/config/config.h"
#include "platform/db/database.h"

namespace travio::audit {

/// `travio keys list|rotate --service audit`: the keys that sign checkpoints (audit.keys_dir,
/// else <data_dir>/keys/audit). `retire` is refused: checkpoints are verified with the key that
/// signed them for as long as they are kept. Restart every audit process after a rotation.
absl::Status RunKeysCommand(const config::Config& config, const std::string& action,
                            const std::string& kid, std::ostream& out);

/// `travio audit export --log L`: the log as JSON lines on `out` (sql_audit_store.h, ExportLog).
absl::Status RunExportCommand(db::Database& database, const std::string& log, std::ostream& out);

/// `travio audit retain --log L --before-seq N`: removes the entries before N, keeping the
/// chain verifiable from N (sql_audit_store.h, RetainLog); says how many went on `out`.
absl::Status RunRetainCommand(db::Database& database, const std::string& log, int64_t before_seq,
                              std::ostream& out);

}  // namespace travio::audit
