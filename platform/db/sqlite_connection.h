#pragma once

// One SQLite connection with its prepared-statement cache. Private to platform/db.

#include <sqlite3.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/db/database.h"

namespace travio::db::internal {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

/// Not thread-safe: the owner lends a connection to one thread at a time.
class SqliteConnection {
 public:
  enum class Role { kWriter, kReader };

  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const SqliteOptions& options,
                                                                Role role);

  /// Prepares `sql` (or takes it from the cache) without running it.
  absl::StatusOr<sqlite3_stmt*> Prepare(std::string_view sql);

  /// Binds `params` to a statement from Prepare(), steps it to completion and resets it.
  absl::StatusOr<Result> Run(sqlite3_stmt* stmt, std::span<const Value> params);

  absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params);

  /// True when the connection is inside a transaction (BEGIN without COMMIT/ROLLBACK yet).
  bool InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

 private:
  explicit SqliteConnection(SqliteHandle db) : db_(std::move(db)) {}

  absl::Status Error(int code) const;
  absl::Status Bind(sqlite3_stmt* stmt, std::span<const Value> params) const;

  SqliteHandle db_;
  // Declared after db_ so the statements are finalized before the connection closes.
  std::unordered_map<std::string, SqliteStatement> cache_;
};

}  // namespace travio::db::internal
