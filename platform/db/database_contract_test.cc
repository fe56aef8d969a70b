// One contract for both drivers: every test in DatabaseContract runs on SQLite and on a real
// PostgreSQL, so a service written against one behaves the same on the other. Driver-specific
// behaviour (pooling, reconnects, file locking) is tested at the end.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/wait.h"

namespace travio::db {

// Readable failure output for byte strings; found by argument-dependent lookup.
void PrintTo(const Bytes& bytes, std::ostream* os) {
  *os << "Bytes{\"" << absl::CHexEscape(bytes.data) << "\"}";
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Fails the test on an error and carries on with an empty result, so one broken statement
// does not hide what the rest of the test checks.
Result Must(absl::StatusOr<Result> result) {
  EXPECT_OK(result);
  return result.ok() ? *std::move(result) : Result();
}

int64_t Count(Session& session, const std::string& table) {
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

// ---------------------------------------------------------------------------------------------
// Row accessors (no database needed)

TEST(Row, AccessorsConvertBetweenCompatibleRepresentations) {
  const Row row(
      {int64_t{42}, 2.0, std::string("123456789012"), Bytes{"raw"}, std::monostate(), 0.25});
  EXPECT_EQ(row.Int(0), 42);
  EXPECT_EQ(row.Double(0), 42.0);
  EXPECT_EQ(row.Text(0), "42");
  EXPECT_EQ(row.Int(1), 2);             // an integral double
  EXPECT_EQ(row.Int(2), 123456789012);  // PostgreSQL NUMERIC arrives as text
  EXPECT_EQ(row.Double(2), 123456789012.0);
  EXPECT_EQ(row.Blob(2), "123456789012");
  EXPECT_EQ(row.Blob(3), "raw");
  EXPECT_EQ(row.Text(3), "raw");
  EXPECT_TRUE(row.IsNull(4));
  EXPECT_EQ(row.Int(4), 0);
  EXPECT_EQ(row.Double(4), 0.0);
  EXPECT_EQ(row.Text(4), "");
  EXPECT_EQ(row.Blob(4), "");
  EXPECT_EQ(row.Text(5), "0.25");
}

TEST(RowDeathTest, ReadingAColumnAsAnIncompatibleTypeStopsWithTheColumn) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Row row({Bytes{"raw"}, std::string("abc"), 0.5});
  EXPECT_DEATH(row.Int(0), "Row::Int\\(column 0\\): the value is bytes");
  EXPECT_DEATH(row.Int(1), "Row::Int\\(column 1\\): the text \"abc\" is not an integer");
  EXPECT_DEATH(row.Int(2), "Row::Int\\(column 2\\)");
  EXPECT_DEATH(row.Double(0), "Row::Double\\(column 0\\)");
  EXPECT_DEATH(row.Text(3), "Row::Text\\(column 3\\): the row has only 3 columns");
}

// ---------------------------------------------------------------------------------------------
// Values and parameters

TEST_P(DatabaseContract, EveryValueTypeRoundTripsThroughAColumn) {
  Must(db().Execute(absl::StrCat("CREATE TABLE v (id BIGINT PRIMARY KEY, i BIGINT, ",
                                 "d DOUBLE PRECISION, t TEXT, b ", BlobType(), ")")));
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  const std::vector<std::vector<Value>> rows = {
      {int64_t{1}, std::monostate(), std::monostate(), std::monostate(), std::monostate()},
      {int64_t{2}, std::numeric_limits<int64_t>::min(), 0.1, std::string(), Bytes{""}},
      {int64_t{3}, std::numeric_limits<int64_t>::max(), -1.5e308, std::string("plain"),
       Bytes{std::string("\0\x01\xff\xfe\x80", 5)}},
      {int64_t{4}, int64_t{0}, 3.141592653589793, std::string("ঢাকা → চট্টগ্রাম 🚌 naïve"),
       Bytes{all_bytes}},
      {int64_t{5}, int64_t{-1}, std::numeric_limits<double>::min(),
       std::string("O'Brien \\ \"quoted\" $1 ; --"), Bytes{"\xc3\x28 not utf-8"}},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(Must(db().Execute("INSERT INTO v (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)",
                                std::span<const Value>(row)))
                  .affected_rows,
              1);
  }
  Result result = Must(db().Execute("SELECT id, i, d, t, b FROM v ORDER BY id"));
  ASSERT_EQ(result.rows.size(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      EXPECT_EQ(result.rows[r].at(c), rows[r][c]) << "row " << r << " column " << c;
    }
  }
  EXPECT_TRUE(result.rows[0].IsNull(1));
  EXPECT_EQ(result.rows[0].Int(1), 0);
  EXPECT_EQ(result.rows[0].Text(3), "");
  EXPECT_EQ(result.rows[0].Blob(4), "");
  EXPECT_FALSE(result.rows[1].IsNull(3));  // empty text is not NULL
  EXPECT_FALSE(result.rows[1].IsNull(4));  // nor is an empty blob
}

TEST_P(DatabaseContract, ParametersKeepTheirTypeInASelectList) {
  Result result = Must(db().Execute(
      "SELECT $1 AS n, $2 AS i, $3 AS d, $4 AS t, $5 AS b",
      {std::monostate(), int64_t{-42}, 2.5, std::string("tëxt"), Bytes{std::string("\0z", 2)}}));
  EXPECT_THAT(result.columns, ElementsAre("n", "i", "d", "t", "b"));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].at(0), Value(std::monostate()));
  EXPECT_EQ(result.rows[0].at(1), Value(int64_t{-42}));
  EXPECT_EQ(result.rows[0].at(2), Value(2.5));
  EXPECT_EQ(result.rows[0].at(3), Value(std::string("tëxt")));
  EXPECT_EQ(result.rows[0].at(4), Value(Bytes{std::string("\0z", 2)}));
}

TEST_P(DatabaseContract, IntegerExpressionsReadAsInt64) {
  Result result = Must(db().Execute("SELECT 7 AS small, COUNT(*) AS counted, 1 = 1 AS flag"));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].at(0), Value(int64_t{7}));
  EXPECT_EQ(result.rows[0].at(1), Value(int64_t{1}));
  EXPECT_EQ(result.rows[0].at(2), Value(int64_t{1}));  // a boolean is 1 on both engines
}

TEST_P(DatabaseContract, PlaceholdersMayBeOutOfOrderAndRepeated) {
  CreateItems();
  Must(db().Execute("INSERT INTO items (name, id) VALUES ($2, $1)", {int64_t{10}, "ten"}));
  Result result = Must(db().Execute("SELECT $2 AS a, $1 AS b, $2 AS c", {"first", "second"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].Text(0), "second");
  EXPECT_EQ(result.rows[0].Text(1), "first");
  EXPECT_EQ(result.rows[0].Text(2), "second");

  result = Must(db().Execute("SELECT name FROM items WHERE id = $1 OR name = $2 OR id = $1 + 1",
                             {int64_t{10}, "none"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].Text(0), "ten");
}

TEST_P(DatabaseContract, MissingParameterIsInvalidArgument) {
  absl::StatusOr<Result> result = db().Execute("SELECT $1, $2", {int64_t{1}});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
}

TEST_P(DatabaseContract, OneStatementPerExecute) {
  absl::StatusOr<Result> result = db().Execute("SELECT 1; SELECT 2");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
}

// ---------------------------------------------------------------------------------------------
// Statements

TEST_P(DatabaseContract, AffectedRowsCountInsertsUpdatesAndDeletes) {
  CreateItems();
  EXPECT_EQ(
      Must(db().Execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')")).affected_rows, 3);
  EXPECT_EQ(Must(db().Execute("UPDATE items SET name = name || '!' WHERE id <= $1", {int64_t{2}}))
                .affected_rows,
            2);
  EXPECT_EQ(Must(db().Execute("UPDATE items SET name = 'x' WHERE id = 99")).affected_rows, 0);
  EXPECT_EQ(Must(db().Execute("DELETE FROM items WHERE id = 3")).affected_rows, 1);
  EXPECT_EQ(Must(db().Execute("SELECT * FROM items")).affected_rows, 0);
  EXPECT_EQ(Must(db().Execute("CREATE TABLE other (id BIGINT)")).affected_rows, 0);

  Result result = Must(db().Execute("SELECT id, name FROM items ORDER BY id"));
  EXPECT_THAT(result.columns, ElementsAre("id", "name"));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].Text(1), "a!");
  EXPECT_EQ(result.rows[1].Text(1), "b!");
}

TEST_P(DatabaseContract, ReturningGivesTheWrittenRows) {
  CreateItems();
  Result inserted = Must(db().Execute(
      "INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id, name", {int64_t{1}, "one"}));
  EXPECT_EQ(inserted.affected_rows, 1);
  EXPECT_THAT(inserted.columns, ElementsAre("id", "name"));
  ASSERT_EQ(inserted.rows.size(), 1u);
  EXPECT_EQ(inserted.rows[0].Int(0), 1);
  EXPECT_EQ(inserted.rows[0].Text(1), "one");

  Result updated =
      Must(db().Execute("UPDATE items SET name = 'uno' WHERE id = 1 RETURNING name AS renamed"));
  EXPECT_EQ(updated.affected_rows, 1);
  EXPECT_THAT(updated.columns, ElementsAre("renamed"));
  ASSERT_EQ(updated.rows.size(), 1u);
  EXPECT_EQ(updated.rows[0].Text(0), "uno");
}

TEST_P(DatabaseContract, OnConflictDoNothingSkipsTheDuplicate) {
  CreateItems();
  Must(db().Execute("INSERT INTO items VALUES (1, 'one')"));
  Result skipped = Must(
      db().Execute("INSERT INTO items VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
                   {int64_t{1}, "again"}));
  EXPECT_EQ(skipped.affected_rows, 0);
  EXPECT_TRUE(skipped.rows.empty());
  EXPECT_EQ(Must(db().Execute("SELECT name FROM items WHERE id = 1")).rows.at(0).Text(0), "one");

  Result upserted = Must(db().Execute(
      "INSERT INTO items VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
      {int64_t{1}, "uno"}));
  EXPECT_EQ(upserted.affected_rows, 1);
  EXPECT_EQ(Must(db().Execute("SELECT name FROM items WHERE id = 1")).rows.at(0).Text(0), "uno");
}

TEST_P(DatabaseContract, UniqueViolationIsAlreadyExists) {
  CreateItems();
  Must(db().Execute("INSERT INTO items VALUES (1, 'one')"));
  absl::StatusOr<Result> same_key = db().Execute("INSERT INTO items VALUES (1, 'other')");
  EXPECT_EQ(same_key.status().code(), absl::StatusCode::kAlreadyExists) << same_key.status();
  absl::StatusOr<Result> same_name = db().Execute("INSERT INTO items VALUES (2, 'one')");
  EXPECT_EQ(same_name.status().code(), absl::StatusCode::kAlreadyExists) << same_name.status();
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, SyntaxErrorIsInvalidArgumentWithTheMessage) {
  absl::StatusOr<Result> result = db().Execute("SELEC 1");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("syntax error"));

  result = db().Execute("SELECT * FROM no_such_table");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("no_such_table"));
}

TEST_P(DatabaseContract, DialectNamesTheEngine) {
  EXPECT_EQ(db().dialect(), GetParam());
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
  ASSERT_OK(transaction);
  EXPECT_EQ((*transaction)->dialect(), GetParam());
}

// ---------------------------------------------------------------------------------------------
// Transactions

TEST_P(DatabaseContract, UncommittedWritesAreInvisibleUntilCommit) {
  CreateItems();
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
  ASSERT_OK(transaction);
  Must((*transaction)->Execute("INSERT INTO items VALUES (1, 'one')"));
  EXPECT_EQ(Count(**transaction, "items"), 1);
  EXPECT_EQ(Count(db(), "items"), 0);  // reads elsewhere do not wait for the writer
  ASSERT_OK((*transaction)->Commit());
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, DestroyingAnUncommittedTransactionRollsItBack) {
  CreateItems();
  {
    absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
    ASSERT_OK(transaction);
    Must((*transaction)->Execute("INSERT INTO items VALUES (1, 'one')"));
  }
  EXPECT_EQ(Count(db(), "items"), 0);
  Must(db().Execute("INSERT INTO items VALUES (2, 'two')"));  // the writer is free again
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, RollbackEndsTheTransaction) {
  CreateItems();
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
  ASSERT_OK(transaction);
  Must((*transaction)->Execute("INSERT INTO items VALUES (1, 'one')"));
  EXPECT_OK((*transaction)->Rollback());
  EXPECT_EQ(Count(db(), "items"), 0);
  EXPECT_EQ((*transaction)->Execute("SELECT 1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*transaction)->Commit().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(DatabaseContract, UniqueViolationInATransactionLeavesNothingWritten) {
  CreateItems();
  Must(db().Execute("INSERT INTO items VALUES (1, 'one')"));
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
  ASSERT_OK(transaction);
  Must((*transaction)->Execute("INSERT INTO items VALUES (2, 'two')"));
  absl::StatusOr<Result> duplicate = (*transaction)->Execute("INSERT INTO items VALUES (1, 'x')");
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists) << duplicate.status();
  // Both engines refuse to go on after a failed statement, so nothing is half-committed.
  EXPECT_EQ((*transaction)->Execute("SELECT 1").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*transaction)->Commit().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, InTransactionCommitsWhenTheWorkSucceeds) {
  CreateItems();
  absl::Status status = db().InTransaction([](Transaction& transaction) {
    return transaction.Execute("INSERT INTO items VALUES (1, 'one')").status();
  });
  EXPECT_OK(status);
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, InTransactionRollsBackAndReturnsTheWorksError) {
  CreateItems();
  absl::Status status = db().InTransaction([](Transaction& transaction) {
    absl::Status inserted = transaction.Execute("INSERT INTO items VALUES (1, 'one')").status();
    if (!inserted.ok()) return inserted;
    return absl::NotFoundError("seat 7A");
  });
  EXPECT_EQ(status, absl::NotFoundError("seat 7A"));
  EXPECT_EQ(Count(db(), "items"), 0);

  status = db().InTransaction([](Transaction& transaction) {
    Must(transaction.Execute("INSERT INTO items VALUES (2, 'two')"));
    return transaction.Execute("INSERT INTO items VALUES (3, 'two')").status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(Count(db(), "items"), 0);
}

TEST_P(DatabaseContract, InTransactionRetriesAbortedWork) {
  CreateItems();
  int attempts = 0;
  absl::Status status = db().InTransaction([&](Transaction& transaction) {
    Must(transaction.Execute("INSERT INTO items VALUES (1, 'one')"));
    if (++attempts < 3) return absl::AbortedError("serialization failure");
    return absl::OkStatus();
  });
  EXPECT_OK(status);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(Count(db(), "items"), 1);

  attempts = 0;
  status = db().InTransaction([&](Transaction&) {
    ++attempts;
    return absl::AbortedError("always");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_GT(attempts, 1);
  EXPECT_LT(attempts, 10);
}

TEST_P(DatabaseContract, ConcurrentIncrementsAreNotLost) {
  Must(db().Execute("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  Must(db().Execute("INSERT INTO counter VALUES (1, 0)"));
  constexpr int kThreads = 8;
  constexpr int kIncrements = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status status = db().InTransaction([](Transaction& transaction) {
          absl::StatusOr<Result> result = transaction.Execute(
              "UPDATE counter SET n = n + $1 WHERE id = $2", {int64_t{1}, int64_t{1}});
          if (result.ok() && result->affected_rows != 1) return absl::InternalError("no row");
          return result.status();
        });
        if (!status.ok()) {
          ADD_FAILURE() << status;
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Must(db().Execute("SELECT n FROM counter WHERE id = 1")).rows.at(0).Int(0),
            kThreads * kIncrements);
}

// ---------------------------------------------------------------------------------------------
// Migrations

std::vector<int64_t> AppliedVersions(Database& database, std::string_view module) {
  std::vector<int64_t> versions;
  Result result =
      Must(database.Execute("SELECT version FROM schema_migrations WHERE module = $1 "
                            "ORDER BY version",
                            {std::string(module)}));
  for (const Row& row : result.rows) versions.push_back(row.Int(0));
  return versions;
}

constexpr Migration kRoutesV1 = {1, "routes",
                                 "CREATE TABLE routes (\n"
                                 "  id TEXT PRIMARY KEY,\n"
                                 "  name TEXT NOT NULL\n"
                                 ");\n"
                                 "INSERT INTO routes VALUES ('r1', 'Dhaka-Sylhet');\n"};
constexpr Migration kRoutesV2 = {2, "stops",
                                 "-- stops along a route\n"
                                 "CREATE TABLE stops (route_id TEXT NOT NULL, seq BIGINT);\n"
                                 "CREATE INDEX stops_by_route ON stops (route_id);"};

TEST_P(DatabaseContract, MigrationsApplyOnceAndRerunningAppliesNothing) {
  const Migration migrations[] = {kRoutesV1, kRoutesV2};
  ASSERT_OK(ApplyMigrations(db(), "routes", migrations));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
  EXPECT_EQ(Count(db(), "stops"), 0);

  absl::Status again = ApplyMigrations(db(), "routes", migrations);
  EXPECT_OK(again);
  EXPECT_EQ(Count(db(), "routes"), 1);  // v1's INSERT did not run twice
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));

  Result row = Must(db().Execute(
      "SELECT name, checksum, applied_at FROM schema_migrations WHERE module = 'routes' "
      "AND version = 2"));
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_EQ(row.rows[0].Text(0), "stops");
  EXPECT_EQ(row.rows[0].Text(1).size(), 64u);            // hex SHA-256
  EXPECT_GT(row.rows[0].Int(2), 1'600'000'000'000'000);  // unix microseconds
}

TEST_P(DatabaseContract, MigrationsApplyOnlyTheNewVersions) {
  const Migration first[] = {kRoutesV1};
  ASSERT_OK(ApplyMigrations(db(), "routes", first));
  const Migration both[] = {kRoutesV2, kRoutesV1};  // order of the list does not matter
  absl::Status status = ApplyMigrations(db(), "routes", both);
  EXPECT_OK(status);
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
}

TEST_P(DatabaseContract, ChangedMigrationIsRefused) {
  const Migration original[] = {kRoutesV1};
  ASSERT_OK(ApplyMigrations(db(), "routes", original));
  const Migration edited[] = {
      {1, "routes", "CREATE TABLE routes (id TEXT PRIMARY KEY, name TEXT, extra TEXT);"}};
  absl::Status status = ApplyMigrations(db(), "routes", edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("changed"));
}

TEST_P(DatabaseContract, UnknownAppliedVersionIsRefused) {
  const Migration newer[] = {kRoutesV1, kRoutesV2};
  ASSERT_OK(ApplyMigrations(db(), "routes", newer));
  const Migration older[] = {kRoutesV1};
  absl::Status status = ApplyMigrations(db(), "routes", older);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_P(DatabaseContract, FailingMigrationLeavesNeitherItsTablesNorItsRow) {
  const Migration broken[] = {
      kRoutesV1, {2, "half", "CREATE TABLE half (id BIGINT);\nINSERT INTO missing VALUES (1);"}};
  absl::Status status = ApplyMigrations(db(), "routes", broken);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr("v2"));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1));
  EXPECT_FALSE(db().Execute("SELECT COUNT(*) FROM half").ok());

  const Migration fixed[] = {kRoutesV1, {2, "half", "CREATE TABLE half (id BIGINT);"}};
  status = ApplyMigrations(db(), "routes", fixed);
  EXPECT_OK(status);
  EXPECT_EQ(Count(db(), "half"), 0);
}

TEST_P(DatabaseContract, ModulesMigrateIndependently) {
  const Migration routes[] = {kRoutesV1, kRoutesV2};
  const Migration bookings[] = {
      {1, "bookings", "CREATE TABLE bookings (id TEXT PRIMARY KEY, amount BIGINT NOT NULL);"}};
  ASSERT_OK(ApplyMigrations(db(), "routes", routes));
  ASSERT_OK(ApplyMigrations(db(), "bookings", bookings));
  EXPECT_OK(ApplyMigrations(db(), "bookings", bookings));
  EXPECT_OK(ApplyMigrations(db(), "routes", routes));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_THAT(AppliedVersions(db(), "bookings"), ElementsAre(1));
  EXPECT_EQ(Count(db(), "bookings"), 0);
}

TEST_P(DatabaseContract, PostgresSqlReplacesTheMigrationOnPostgresOnly) {
  const Migration migrations[] = {
      {1, "which", "CREATE TABLE which (engine TEXT);\nINSERT INTO which VALUES ('portable');",
       "CREATE TABLE which (engine TEXT);\nINSERT INTO which VALUES ('postgres');"}};
  ASSERT_OK(ApplyMigrations(db(), "which", migrations));
  EXPECT_EQ(Must(db().Execute("SELECT engine FROM which")).rows.at(0).Text(0),
            postgres() ? "postgres" : "portable");
  EXPECT_OK(ApplyMigrations(db(), "which", migrations));  // same checksum next time
}

TEST_P(DatabaseContract, ConcurrentAppliersApplyEachMigrationOnce) {
  const Migration migrations[] = {kRoutesV1, kRoutesV2};
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Database>> databases;
  for (int i = 0; i < kProcesses; ++i) {
    absl::StatusOr<std::unique_ptr<Database>> database = backend_->Open();
    ASSERT_OK(database);
    databases.push_back(*std::move(database));
  }
  std::vector<absl::Status> results(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = ApplyMigrations(*databases[i], "routes", migrations); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : results) EXPECT_OK(status);
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DatabaseContract, ::testing::Values(Dialect::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, DatabaseContract, ::testing::Values(Dialect::kPostgres));

// ---------------------------------------------------------------------------------------------
// PostgreSQL driver

std::unique_ptr<Database> MustOpenPostgres(const PostgresOptions& options) {
  absl::StatusOr<std::unique_ptr<Database>> database = OpenPostgres(options);
  EXPECT_OK(database);
  return database.ok() ? *std::move(database) : nullptr;
}

TEST(PostgresDriver, MoreThreadsThanConnectionsAllSucceed) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db = MustOpenPostgres({.dsn = scratch.dsn(), .pool_size = 2});
  ASSERT_NE(db, nullptr);
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 10; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        absl::StatusOr<Result> result = db->Execute("SELECT pg_sleep(0.01), $1 AS t", {int64_t{t}});
        if (result.ok() && result->rows.at(0).Int(1) == t) {
          ++succeeded;
        } else {
          ADD_FAILURE() << result.status();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 50);
}

TEST(PostgresDriver, NoFreeConnectionWithinTheTimeoutIsUnavailable) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db =
      MustOpenPostgres({.dsn = scratch.dsn(), .pool_size = 1, .acquire_timeout_ms = 100});
  ASSERT_NE(db, nullptr);
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db->Begin();
  ASSERT_OK(transaction);
  EXPECT_EQ(db->Execute("SELECT 1").status().code(), absl::StatusCode::kUnavailable);
  transaction->reset();
  EXPECT_OK(db->Execute("SELECT 1"));
}

TEST(PostgresDriver, UnreachableServerIsUnavailable) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenPostgres(
      {.dsn = absl::StrCat("postgresql://postgres@127.0.0.1:", testing::FreePort(), "/postgres")});
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
}

TEST(PostgresDriver, MalformedDsnIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenPostgres({.dsn = "host=127.0.0.1 port"});
  EXPECT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument) << db.status();
}

TEST(PostgresDriver, BrokenConnectionIsUnavailableThenReconnects) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db = MustOpenPostgres({.dsn = scratch.dsn(), .pool_size = 1});
  std::unique_ptr<Database> admin = MustOpenPostgres({.dsn = scratch.dsn(), .pool_size = 1});
  ASSERT_NE(db, nullptr);
  ASSERT_NE(admin, nullptr);
  const int64_t pid = Must(db->Execute("SELECT pg_backend_pid()")).rows.at(0).Int(0);
  // The timeout makes pg_terminate_backend wait until the backend is gone.
  Must(admin->Execute("SELECT pg_terminate_backend($1::int, 5000)", {pid}));

  absl::StatusOr<Result> broken = db->Execute("SELECT 1");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kUnavailable) << broken.status();
  absl::StatusOr<Result> again = db->Execute("SELECT pg_backend_pid()");
  ASSERT_OK(again);
  EXPECT_NE(again->rows.at(0).Int(0), pid);
}

TEST(PostgresDriver, DeadlockIsAborted) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db = MustOpenPostgres({.dsn = scratch.dsn()});
  ASSERT_NE(db, nullptr);
  Must(db->Execute("CREATE TABLE d (id BIGINT PRIMARY KEY, n BIGINT)"));
  Must(db->Execute("INSERT INTO d VALUES (1, 0), (2, 0)"));
  absl::StatusOr<std::unique_ptr<Transaction>> first = db->Begin();
  absl::StatusOr<std::unique_ptr<Transaction>> second = db->Begin();
  ASSERT_OK(first);
  ASSERT_OK(second);
  Must((*first)->Execute("UPDATE d SET n = 1 WHERE id = 1"));
  Must((*second)->Execute("UPDATE d SET n = 2 WHERE id = 2"));

  absl::Status first_status;
  std::thread waiter([&] {
    first_status = (*first)->Execute("UPDATE d SET n = 1 WHERE id = 2").status();
    // The loser keeps its locks until it ends, and the winner waits for them.
    if (!first_status.ok()) (void)(*first)->Rollback();
  });
  // The waiter must block first: PostgreSQL shows its lock request pending.
  ASSERT_TRUE(testing::WaitFor([&] {
    absl::StatusOr<Result> waiting = db->Execute("SELECT count(*) FROM pg_locks WHERE NOT granted");
    return waiting.ok() && waiting->rows.at(0).Int(0) > 0;
  }));
  absl::Status second_status = (*second)->Execute("UPDATE d SET n = 2 WHERE id = 1").status();
  if (!second_status.ok()) (void)(*second)->Rollback();
  waiter.join();

  EXPECT_NE(first_status.ok(), second_status.ok()) << first_status << " / " << second_status;
  const absl::Status& loser = first_status.ok() ? second_status : first_status;
  EXPECT_EQ(loser.code(), absl::StatusCode::kAborted) << loser;
}

TEST(PostgresDriver, ExclusionViolationIsAlreadyExists) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db = MustOpenPostgres({.dsn = scratch.dsn()});
  ASSERT_NE(db, nullptr);
  Must(db->Execute("CREATE TABLE holds (during int8range, EXCLUDE USING gist (during WITH &&))"));
  Must(db->Execute("INSERT INTO holds VALUES (int8range($1, $2))", {int64_t{1}, int64_t{5}}));
  absl::StatusOr<Result> overlap =
      db->Execute("INSERT INTO holds VALUES (int8range($1, $2))", {int64_t{4}, int64_t{9}});
  EXPECT_EQ(overlap.status().code(), absl::StatusCode::kAlreadyExists) << overlap.status();
}

TEST(PostgresDriver, StatementTimeoutIsDeadlineExceeded) {
  testing::ScratchPostgresDatabase scratch;
  std::unique_ptr<Database> db = MustOpenPostgres({.dsn = scratch.dsn()});
  ASSERT_NE(db, nullptr);
  absl::Status status = db->InTransaction([](Transaction& transaction) {
    Must(transaction.Execute("SET LOCAL statement_timeout = '50ms'"));
    return transaction.Execute("SELECT pg_sleep(5)").status();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded) << status;
}

// ---------------------------------------------------------------------------------------------
// SQLite driver

TEST(SqliteDriver, WriterLockedByAnotherProcessIsDeadlineExceeded) {
  testing::TempDir dir;
  const std::string path = (dir / "locked.db").string();
  absl::StatusOr<std::unique_ptr<Database>> holder = OpenSqlite({.path = path});
  absl::StatusOr<std::unique_ptr<Database>> other =
      OpenSqlite({.path = path, .busy_timeout_ms = 100});
  ASSERT_OK(holder);
  ASSERT_OK(other);
  Must((*holder)->Execute("CREATE TABLE t (id BIGINT)"));

  absl::StatusOr<std::unique_ptr<Transaction>> transaction = (*holder)->Begin();
  ASSERT_OK(transaction);
  absl::StatusOr<Result> blocked = (*other)->Execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kDeadlineExceeded) << blocked.status();
  EXPECT_OK((*other)->Execute("SELECT COUNT(*) FROM t"));  // reads still work
  ASSERT_OK((*transaction)->Commit());
  EXPECT_OK((*other)->Execute("INSERT INTO t VALUES (1)"));
}

TEST(SqliteDriver, WriterBusyInThisProcessIsDeadlineExceeded) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenSqlite({.path = (dir / "busy.db").string(), .busy_timeout_ms = 100});
  ASSERT_OK(db);
  Must((*db)->Execute("CREATE TABLE t (id BIGINT)"));
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = (*db)->Begin();
  ASSERT_OK(transaction);
  absl::Status blocked;
  std::thread([&] { blocked = (*db)->Execute("INSERT INTO t VALUES (1)").status(); }).join();
  EXPECT_EQ(blocked.code(), absl::StatusCode::kDeadlineExceeded) << blocked;
}

TEST(SqliteDriver, WorksWithoutReaderConnections) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenSqlite({.path = (dir / "single.db").string(), .readers = 0});
  ASSERT_OK(db);
  Must((*db)->Execute("CREATE TABLE t (id BIGINT)"));
  Must((*db)->Execute("INSERT INTO t VALUES (1)"));
  EXPECT_EQ(Count(**db, "t"), 1);
}

TEST(SqliteDriver, TransactionControlThroughExecuteIsRefused) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = (dir / "tx.db").string()});
  ASSERT_OK(db);
  EXPECT_EQ((*db)->Execute("BEGIN").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_OK((*db)->InTransaction([](Transaction&) { return absl::OkStatus(); }));
}

TEST(SqliteDriver, InMemoryDatabaseIsRefused) {
  EXPECT_EQ(OpenSqlite({.path = ":memory:"}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::db
