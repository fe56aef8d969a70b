// Transactions on both drivers (instantiated in database_contract_test.cc): isolation until
// commit, rollback, and InTransaction's commit, rollback and retries.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/database_contract.h"
#include "platform/testing/status_matchers.h"

namespace travio::db {
namespace {

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

}  // namespace
}  // namespace travio::db
