#pragma once

// The Database contract suite's fixture and helpers, shared by database_contract_test.cc (which
// instantiates it on SQLite and PostgreSQL), database_transactions_test.cc, migrations_test.cc
// and the drivers' own tests.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/db/database.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"

namespace travio::db {

// Readable failure output for byte strings; found by argument-dependent lookup.
inline void PrintTo(const Bytes& bytes, std::ostream* os) {
  *os << "Bytes{\"" << absl::CHexEscape(bytes.data) << "\"}";
}

// Fails the test on an error and carries on with an empty result, so one broken statement
// does not hide what the rest of the test checks.
inline Result Must(absl::StatusOr<Result> result) {
  EXPECT_OK(result);
  return result.ok() ? *std::move(result) : Result();
}

inline int64_t Count(Session& session, const std::string& table) {
  Result result = Must(session.Execute(absl::StrCat("SELECT COUNT(*) FROM ", table)));
  return result.rows.empty() ? -1 : result.rows[0].Int(0);
}

// Fresh storage for one test, from which several Database handles can be opened the way
// several processes of a service would open them.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual absl::StatusOr<std::unique_ptr<Database>> Open() = 0;
};

class SqliteBackend final : public Backend {
 public:
  absl::StatusOr<std::unique_ptr<Database>> Open() override {
    return OpenSqlite({.path = (dir_ / "test.db").string()});
  }

 private:
  testing::TempDir dir_{"travio-db-test"};
};

class PostgresBackend final : public Backend {
 public:
  absl::StatusOr<std::unique_ptr<Database>> Open() override {
    return OpenPostgres({.dsn = scratch_.dsn()});
  }

 private:
  testing::ScratchPostgresDatabase scratch_;
};

class DatabaseContract : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::kSqlite) {
      backend_ = std::make_unique<SqliteBackend>();
    } else {
      backend_ = std::make_unique<PostgresBackend>();
    }
    absl::StatusOr<std::unique_ptr<Database>> database = backend_->Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
  }

  Database& db() { return *database_; }
  bool postgres() const { return GetParam() == Dialect::kPostgres; }
  const char* BlobType() const { return postgres() ? "BYTEA" : "BLOB"; }

  void CreateItems() {
    Must(db().Execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)"));
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Database> database_;
};

}  // namespace travio::db
