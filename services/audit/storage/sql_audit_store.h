#pragma once

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

/// Writes every entry of `log` (from its first kept entry on) as JSON lines, then a last line
/// {"log","anchor_seq","anchor_prev_hash","head_seq","head_hash"} naming where the export's
/// chain starts and ends. Reads page by page; nothing is held in memory.
absl::Status ExportLog(db::Database& database, const std::string& log, std::ostream& out);

/// Deletes `log`'s entries and checkpoints before `before_seq` (which must be an entry of the
/// log) and records its prev_hash as where the chain now starts, in one transaction that lifts
/// the triggers and puts them back. Returns how many entries went. Export first.
absl::StatusOr<int64_t> RetainLog(db::Database& database, const std::string& log,
                                  int64_t before_seq);

}  // namespace travio::audit
