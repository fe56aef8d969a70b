// What only the PostgreSQL driver does: its connection pool, reconnecting, and the server's own
// errors (deadlocks, exclusion constraints, statement timeouts).

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/db/database.h"
#include "platform/db/database_contract.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/wait.h"

namespace travio::db {
namespace {

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

}  // namespace
}  // namespace travio::db
