#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "services/audit/app/ports.h"

namespace travio::audit {

/// The audit tables. Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on entries
/// and checkpoints, whoever issues them: only RetainLog lifts them, inside its own transaction.
std::vector<db::Migration> AuditMigrations();

std::unique_ptr<AuditStore> MakeSqlAuditStore(db::Database& database);

/// Writes every entry of `log` (from its first kept entry on) as JSON lines, then its
/// checkpoints (their tokens verify with the published keys), then a last line
/// {"log","anchor_seq","anchor_prev_hash","head_seq","head_hash"} naming where the export's
/// chain starts and ends. Reads page by page; nothing is held in memory.
absl::Status ExportLog(db::Database& database, const std::string& log, std::ostream& out);

/// Signs where a retention moves a log's start (its `at` is the signer's to set).
using RetentionSigner = std::function<absl::StatusOr<std::string>(Retention retention)>;

/// Deletes `log`'s entries before `before_seq` and the checkpoints before the one at
/// `before_seq - 1`, which must exist and stays (it vouches for where the kept chain starts), and
/// records entry `before_seq`'s prev_hash as that start with `sign`'s token for it, in one
/// transaction that lifts the triggers and puts them back. Returns how many entries went.
/// Verify and export first (audit_commands.h does).
absl::StatusOr<int64_t> RetainLog(db::Database& database, const std::string& log,
                                  int64_t before_seq, const RetentionSigner& sign);

}  // namespace travio::audit
