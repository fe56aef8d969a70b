// What only the SQLite driver does: a writer locked by another process or busy in this one,
// no reader connections, and what it refuses.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "platform/db/database.h"
#include "platform/db/database_contract.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::db {
namespace {

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
