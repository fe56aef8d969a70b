#pragma once

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "platform/db/database.h"

namespace travio::db {

/// One versioned schema change of a module. `sql` is the portable statement list; when the
/// engines must differ, `postgres_sql` replaces it on PostgreSQL. Statements are separated by
/// semicolons at the end of a line.
struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  std::string_view postgres_sql = {};
};

/// Applies the module's migrations that are not applied yet, in version order, each in a
/// transaction together with its row in `schema_migrations(module, version, name, checksum,
/// applied_at)`. Safe to run from several processes at once on PostgreSQL (an advisory lock
/// serialises them). Fails with kFailedPrecondition when an applied migration's text changed
/// or when the database has versions this binary does not know (a downgrade).
absl::Status ApplyMigrations(Database& database, std::string_view module,
                             std::span<const Migration> migrations);

}  // namespace travio::db
