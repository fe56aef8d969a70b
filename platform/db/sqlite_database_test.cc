// What only the SQLite driver does: a file one process owns, a writer locked or busy,
// no reader connections, and what it refuses.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "platform/db/database.h"
#include "platform/db/database_contract.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::db {
namespace {

TEST(SqliteDriver, WriterLockedByAnotherDatabaseOfTheProcessIsDeadlineExceeded) {
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

// The file is the process's alone (SQLite's unix-excl): a second process, such as a second
// monolith on the same data directory, cannot open it, and the first keeps writing.
TEST(SqliteDriver, AnotherProcessCannotOpenADatabaseThisOneUses) {
  testing::TempDir dir;
  const std::string path = (dir / "owned.db").string();
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  // Forked before this process opens the file, so the child carries none of SQLite's state
  // for it (SQLite forbids using a connection across fork).
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    char byte = 0;
    if (read(go[0], &byte, 1) != 1) _exit(2);
    absl::StatusOr<std::unique_ptr<Database>> other =
        OpenSqlite({.path = path, .busy_timeout_ms = 100});
    const bool refused = other.status().code() == absl::StatusCode::kFailedPrecondition &&
                         absl::StrContains(other.status().message(), "in use by another process");
    _exit(refused ? 0 : 1);
  }
  absl::StatusOr<std::unique_ptr<Database>> owner = OpenSqlite({.path = path});
  ASSERT_OK(owner);
  Must((*owner)->Execute("CREATE TABLE t (id BIGINT)"));
  ASSERT_EQ(write(go[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  close(go[0]);
  close(go[1]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the other process opened the database";
  EXPECT_OK((*owner)->Execute("INSERT INTO t VALUES (1)"));
  EXPECT_EQ(Must((*owner)->Execute("SELECT COUNT(*) FROM t")).rows[0].Int(0), 1);
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

TEST(SqliteDriver, ConcurrentWritesShareCommitsAndFailAlone) {
  // Many writers at once: their writes go into shared transactions; the ones that break a
  // constraint fail alone, with their own error, and every other one is written.
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = (dir / "group.db").string()});
  ASSERT_OK(db);
  Must((*db)->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)"));
  constexpr int kThreads = 8;
  constexpr int kWrites = 200;
  std::atomic<int> refused{0};
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const int64_t id = t * kWrites + i;
        // Every fifth write repeats an id some thread wrote already (or writes NULL).
        const bool bad = i % 5 == 4;
        absl::Status status =
            bad ? (*db)->Execute("INSERT INTO t (id, v) VALUES ($1, NULL)", {id}).status()
                : (*db)->Execute("INSERT INTO t (id, v) VALUES ($1, $2)", {id, id * 2}).status();
        if (bad && !status.ok()) {
          ++refused;
        } else if (!status.ok() || bad) {
          ++unexpected;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(refused.load(), kThreads * kWrites / 5);
  EXPECT_EQ(Count(**db, "t"), kThreads * kWrites * 4 / 5);
  absl::StatusOr<Result> sum = (*db)->Execute("SELECT SUM(v) - 2 * SUM(id) FROM t");
  ASSERT_OK(sum);
  EXPECT_EQ(sum->rows[0].Int(0), 0);
}

TEST(SqliteDriver, ManyWritersHammeringSharedCommitsAllGetTheirOwnAnswers) {
  // Writers whose write was answered leave at once: the leader that answered them must not
  // touch their waiting slots afterwards (it once read them while handing over, after some had
  // returned: a crash under load). Many short writes from many threads, run under the
  // sanitizers of the dev build.
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = (dir / "hammer.db").string()});
  ASSERT_OK(db);
  Must((*db)->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  constexpr int kThreads = 32;
  constexpr int kWrites = 400;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        // A deeper frame each time, so a slot read after its writer left finds other data.
        std::array<int64_t, 64> scribble;
        scribble.fill(-1 - i);
        const int64_t id =
            int64_t{t} * kWrites + i + (scribble[static_cast<size_t>(i) % 64] + 1 + i);
        if (!(*db)->Execute("INSERT INTO t (id) VALUES ($1)", {id}).ok()) ++failed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(Count(**db, "t"), kThreads * kWrites);
}

TEST(SqliteDriver, AWriteThatRollsTheSharedTransactionBackFailsAloneAndTheOthersAreWritten) {
  // RAISE(ROLLBACK) (as a full disk would) ends the whole shared transaction, not just its
  // write's savepoint: the writes before it are undone with it and must run again; none may be
  // answered OK without being stored, or stored while answered with an error.
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = (dir / "raise.db").string()});
  ASSERT_OK(db);
  Must((*db)->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  Must(
      (*db)->Execute("CREATE TRIGGER refuse BEFORE INSERT ON t WHEN NEW.id < 0 "
                     "BEGIN SELECT RAISE(ROLLBACK, 'negative'); END"));
  for (int round = 0; round < 20; ++round) {
    // The writer is held while the writes queue, so they share one transaction.
    absl::StatusOr<std::unique_ptr<Transaction>> holding = (*db)->Begin();
    ASSERT_OK(holding);
    const std::vector<int64_t> ids = {round * 10 + 1, -(round * 10 + 2), round * 10 + 3,
                                      round * 10 + 4};
    std::vector<absl::Status> statuses(ids.size());
    std::vector<std::thread> writers;
    for (size_t i = 0; i < ids.size(); ++i) {
      writers.emplace_back([&, i] {
        statuses[i] = (*db)->Execute("INSERT INTO t (id) VALUES ($1)", {ids[i]}).status();
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_OK((*holding)->Rollback());
    for (std::thread& writer : writers) writer.join();
    for (size_t i = 0; i < ids.size(); ++i) {
      absl::StatusOr<Result> row = (*db)->Execute("SELECT COUNT(*) FROM t WHERE id = $1", {ids[i]});
      ASSERT_OK(row);
      EXPECT_EQ(statuses[i].ok(), row->rows[0].Int(0) == 1) << ids[i] << ": " << statuses[i];
      EXPECT_EQ(statuses[i].ok(), ids[i] > 0) << ids[i] << ": " << statuses[i];
    }
  }
}

TEST(SqliteDriver, AKillBeforeASharedCommitLosesNoAcknowledgedWrite) {
  // A child process writes from many threads and dies (SIGKILL, at the hook) after a shared
  // transaction's writes and before its commit. Every write it was told succeeded is there
  // afterwards, none of the dying transaction's is, and the database is whole.
  testing::TempDir dir;
  const std::string path = (dir / "crash.db").string();
  {
    absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = path});
    ASSERT_OK(db);
    Must((*db)->Execute("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  }
  int acks[2];
  ASSERT_EQ(pipe(acks), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(acks[0]);
    absl::StatusOr<std::unique_ptr<Database>> db =
        OpenSqlite({.path = path, .crash_point = CrashPoint("sqlite:group-commit")});
    if (!db.ok()) _exit(3);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int64_t i = 0; i < 100000; ++i) {
          const int64_t id = t * 100000 + i;
          if ((*db)->Execute("INSERT INTO t (id) VALUES ($1)", {id}).ok()) {
            // Told it succeeded: the parent holds us to it.
            if (write(acks[1], &id, sizeof id) != sizeof id) _exit(4);
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    _exit(0);  // never reached a shared commit: the parent fails
  }
  close(acks[1]);
  std::set<int64_t> acknowledged;
  int64_t id = 0;
  while (read(acks[0], &id, sizeof id) == sizeof id) acknowledged.insert(id);
  close(acks[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;

  absl::StatusOr<std::unique_ptr<Database>> db = OpenSqlite({.path = path});
  ASSERT_OK(db);
  absl::StatusOr<Result> check = (*db)->Execute("PRAGMA integrity_check");
  ASSERT_OK(check);
  EXPECT_EQ(check->rows[0].Text(0), "ok");
  absl::StatusOr<Result> rows = (*db)->Execute("SELECT id FROM t");
  ASSERT_OK(rows);
  std::set<int64_t> stored;
  for (const Row& row : rows->rows) stored.insert(row.Int(0));
  for (int64_t acked : acknowledged) EXPECT_TRUE(stored.contains(acked)) << acked;
  // Stored but never acknowledged: only writes of transactions that committed before the kill
  // whose writers had not yet said so; the dying transaction (two writes at least) is gone.
  EXPECT_GE(stored.size(), acknowledged.size());
  EXPECT_LE(stored.size(), acknowledged.size() + 8);
  Must((*db)->Execute("INSERT INTO t (id) VALUES (-1)"));
}

TEST(SqliteDriver, InMemoryDatabaseIsRefused) {
  EXPECT_EQ(OpenSqlite({.path = ":memory:"}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace travio::db
