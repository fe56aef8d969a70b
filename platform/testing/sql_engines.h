#pragma once

// Contract suites run every SQL adapter on both engines; this opens the engine a test is
// parameterised with: a SQLite file in a temporary directory, or a scratch database on the
// test run's PostgreSQL.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/db/database.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"

namespace travio::testing {

enum class SqlEngine { kSqlite, kPostgres };

/// "Sqlite" / "Postgres", for INSTANTIATE_TEST_SUITE_P names.
inline std::string SqlEngineName(SqlEngine engine) {
  return engine == SqlEngine::kSqlite ? "Sqlite" : "Postgres";
}

/// One empty database on `engine`, reopened as often as a test likes (a restart).
class SqlTestStorage {
 public:
  explicit SqlTestStorage(SqlEngine engine) : engine_(engine) {
    if (engine_ == SqlEngine::kPostgres) scratch_ = std::make_unique<ScratchPostgresDatabase>();
  }

  absl::StatusOr<std::unique_ptr<db::Database>> Open() const {
    if (engine_ == SqlEngine::kSqlite) return db::OpenSqlite({(dir_ / "test.db").string()});
    return db::OpenPostgres({scratch_->dsn()});
  }

 private:
  SqlEngine engine_;
  TempDir dir_;
  std::unique_ptr<ScratchPostgresDatabase> scratch_;
};

}  // namespace travio::testing
