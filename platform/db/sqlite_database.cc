// The SQLite driver. SQLite allows one writer at a time, so all writes go through a single
// connection behind a mutex (waiting in-process is cheaper and fairer than SQLite's busy
// polling), while reads run in parallel on reader connections, each seeing a WAL snapshot.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"
#include "platform/db/database.h"
#include "platform/db/sqlite_connection.h"

namespace travio::db {
namespace {

using internal::SqliteConnection;
using WriterLock = std::unique_lock<std::timed_mutex>;

// A transaction owns the writer lock from BEGIN IMMEDIATE until COMMIT or ROLLBACK.
class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteConnection& connection, WriterLock lock)
      : connection_(connection), lock_(std::move(lock)) {}
  ~SqliteTransaction() override { (void)Rollback(); }

  absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params) override {
    TRAVIO_RETURN_IF_ERROR(CheckUsable());
    absl::StatusOr<Result> result = connection_.Execute(sql, params);
    if (!result.ok()) failure_ = result.status();
    if (!connection_.InTransaction()) {
      // The SQL said COMMIT or ROLLBACK, or SQLite rolled back by itself after an I/O error.
      lock_.unlock();
      if (result.ok()) {
        return absl::FailedPreconditionError(
            "sqlite: the statement ended the transaction; use Commit() or Rollback()");
      }
    }
    return result;
  }

  absl::Status Commit() override {
    TRAVIO_RETURN_IF_ERROR(CheckUsable());
    absl::Status status = connection_.Execute("COMMIT", {}).status();
    if (!status.ok()) {
      (void)Rollback();
      return status;
    }
    lock_.unlock();
    return status;
  }

  absl::Status Rollback() override {
    if (!lock_.owns_lock()) return absl::OkStatus();
    absl::Status status;
    if (connection_.InTransaction()) status = connection_.Execute("ROLLBACK", {}).status();
    lock_.unlock();
    return status;
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  // PostgreSQL refuses every statement after a failed one and turns COMMIT into ROLLBACK; doing
  // the same here keeps code that works on SQLite from half-committing on PostgreSQL.
  absl::Status CheckUsable() {
    if (!lock_.owns_lock()) {
      return absl::FailedPreconditionError("sqlite: the transaction has already ended");
    }
    if (!failure_.ok()) {
      (void)Rollback();
      return absl::FailedPreconditionError(absl::StrCat(
          "sqlite: transaction rolled back because a statement failed: ", failure_.message()));
    }
    return absl::OkStatus();
  }

  SqliteConnection& connection_;
  WriterLock lock_;
  absl::Status failure_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(const SqliteOptions& options, std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers)
      : busy_timeout_(options.busy_timeout_ms),
        crash_point_(options.crash_point),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)),
        has_readers_(!idle_readers_.empty()) {}

  absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params) override {
    if (has_readers_) {
      TRAVIO_ASSIGN_OR_RETURN(ReaderLease reader, AcquireReader());
      TRAVIO_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, reader->Prepare(sql));
      if (stmt == nullptr || sqlite3_stmt_readonly(stmt)) {
        return CheckAutocommit(*reader, reader->Run(stmt, params));
      }
    }
    if (IsRowWrite(sql)) return GroupWrite(sql, params);
    TRAVIO_ASSIGN_OR_RETURN(WriterLock lock, LockWriter());
    return CheckAutocommit(*writer_, writer_->Execute(sql, params));
  }

  absl::StatusOr<std::unique_ptr<Transaction>> Begin() override {
    TRAVIO_ASSIGN_OR_RETURN(WriterLock lock, LockWriter());
    // IMMEDIATE takes the write lock now; a deferred BEGIN could fail with SQLITE_BUSY at its
    // first write after other processes wrote, which no amount of waiting fixes.
    TRAVIO_RETURN_IF_ERROR(writer_->Execute("BEGIN IMMEDIATE", {}).status());
    return std::make_unique<SqliteTransaction>(*writer_, std::move(lock));
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  // Returns a reader to the idle list when the statement is done.
  class ReaderLease {
   public:
    ReaderLease(SqliteDatabase& database, std::unique_ptr<SqliteConnection> connection)
        : database_(&database), connection_(std::move(connection)) {}
    ReaderLease(ReaderLease&& other) = default;
    ReaderLease& operator=(ReaderLease&&) = delete;
    ~ReaderLease() {
      if (connection_ != nullptr) database_->ReleaseReader(std::move(connection_));
    }
    SqliteConnection* operator->() const { return connection_.get(); }
    SqliteConnection& operator*() const { return *connection_; }

   private:
    SqliteDatabase* database_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  absl::StatusOr<ReaderLease> AcquireReader() {
    std::unique_lock lock(readers_mutex_);
    if (!readers_available_.wait_for(lock, busy_timeout_,
                                     [this] { return !idle_readers_.empty(); })) {
      return absl::DeadlineExceededError("sqlite: no reader connection became free in time");
    }
    std::unique_ptr<SqliteConnection> connection = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return ReaderLease(*this, std::move(connection));
  }

  void ReleaseReader(std::unique_ptr<SqliteConnection> connection) {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(std::move(connection));
    }
    readers_available_.notify_one();
  }

  absl::StatusOr<WriterLock> LockWriter() {
    WriterLock lock(writer_mutex_, std::defer_lock);
    if (!lock.try_lock_for(busy_timeout_)) {
      return absl::DeadlineExceededError(
          absl::StrCat("sqlite: the writer stayed busy for ", busy_timeout_.count(),
                       " ms (a long transaction, or one still open on this thread?)"));
    }
    return lock;
  }

  // A write waiting for the writer, in the queue of the next shared transaction.
  struct QueuedWrite {
    std::string_view sql;
    std::span<const Value> params;
    std::optional<absl::StatusOr<Result>> result;  // set under queue_mutex_ once committed
  };

  // Statements that only change rows, and so may share a transaction with others. Schema
  // changes, pragmas and transaction control run alone.
  static bool IsRowWrite(std::string_view sql) {
    const size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return false;
    const std::string_view rest = sql.substr(start);
    for (std::string_view verb : {"INSERT", "UPDATE", "DELETE", "REPLACE"}) {
      if (rest.size() > verb.size() &&
          absl::EqualsIgnoreCase(ToAbsl(rest.substr(0, verb.size())), ToAbsl(verb)) &&
          absl::ascii_isspace(static_cast<unsigned char>(rest[verb.size()]))) {
        return true;
      }
    }
    return false;
  }

  // Group commit. Every commit costs file locks and WAL writes whatever it holds, so writes
  // that queue while one transaction is written go into the next one together: the first to
  // find nobody leading leads it, the others wait for their result. A write is answered after
  // the commit that holds it, exactly as when it ran alone.
  absl::StatusOr<Result> GroupWrite(std::string_view sql, std::span<const Value> params) {
    QueuedWrite mine{sql, params, std::nullopt};
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&mine);
    written_.wait(lock, [&] { return mine.result.has_value() || !leading_; });
    if (mine.result) return *std::move(mine.result);
    leading_ = true;
    lock.unlock();
    std::vector<QueuedWrite*> batch;
    // Whatever happens below (an exception included), the batch gets answers and the next
    // writer may lead: nobody waits for a leader that is gone.
    absl::Cleanup hand_over = [&] {
      if (!lock.owns_lock()) lock.lock();
      // Not taken into a batch (a failure before that): this leader's slot leaves with it.
      std::erase(queue_, &mine);
      for (QueuedWrite* write : batch) {
        if (!write->result) write->result = absl::InternalError("sqlite: the shared write failed");
      }
      leading_ = false;
      lock.unlock();
      written_.notify_all();
    };
    absl::StatusOr<WriterLock> writer = LockWriter();
    lock.lock();
    // Taken once the writer is ours: what queued meanwhile shares this commit too, this
    // leader's own write first.
    std::erase(queue_, &mine);
    queue_.insert(queue_.begin(), &mine);
    const size_t count = std::min(queue_.size(), kMaxSharedWrites);
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
    lock.unlock();
    std::vector<absl::StatusOr<Result>> results =
        writer.ok() ? WriteTogether(batch)
                    : std::vector<absl::StatusOr<Result>>(batch.size(), writer.status());
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->result = std::move(results[i]);
    // Answered writers may leave as soon as they see their result (a spurious wake-up need not
    // wait for the notify below), taking their slots with them: never touch the batch again.
    batch.clear();
    absl::StatusOr<Result> answer = *std::move(mine.result);
    lock.unlock();
    return answer;
  }

  // Runs `batch` in one transaction on the writer (locked by the caller) and returns each
  // write's result. A write SQLite answers by rolling the whole transaction back (a full disk,
  // RAISE(ROLLBACK)) fails alone: the others, undone with it, run again without it.
  std::vector<absl::StatusOr<Result>> WriteTogether(std::span<QueuedWrite* const> batch) {
    std::vector<absl::StatusOr<Result>> results;
    if (batch.size() == 1) {
      results.push_back(
          CheckAutocommit(*writer_, writer_->Execute(batch[0]->sql, batch[0]->params)));
      return results;
    }
    if (absl::Status begun = writer_->Execute("BEGIN IMMEDIATE", {}).status(); !begun.ok()) {
      return std::vector<absl::StatusOr<Result>>(batch.size(), begun);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      // Its own savepoint: a write that fails (a constraint) is undone alone.
      absl::Status marked = writer_->Execute("SAVEPOINT queued_write", {}).status();
      absl::StatusOr<Result> result =
          marked.ok() ? writer_->Execute(batch[i]->sql, batch[i]->params) : marked;
      absl::Status undone;
      if (!result.ok() && marked.ok() && writer_->InTransaction()) {
        undone = writer_->Execute("ROLLBACK TO queued_write", {}).status();
      }
      absl::Status released;
      if (marked.ok() && undone.ok() && writer_->InTransaction()) {
        released = writer_->Execute("RELEASE queued_write", {}).status();
      }
      if (!writer_->InTransaction() || !undone.ok() || !released.ok()) {
        if (writer_->InTransaction()) (void)writer_->Execute("ROLLBACK", {});
        // The transaction is gone with this write: it fails, the others go again.
        std::vector<QueuedWrite*> others(batch.begin(), batch.end());
        others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
        std::vector<absl::StatusOr<Result>> again = WriteTogether(others);
        if (result.ok()) {
          result =
              !undone.ok() ? undone
              : !released.ok()
                  ? released
                  : absl::AbortedError("sqlite: the shared transaction ended while this write ran");
        }
        again.insert(again.begin() + static_cast<std::ptrdiff_t>(i), std::move(result));
        return again;
      }
      results.push_back(std::move(result));
    }
    crash_point_.Reach("sqlite:group-commit");
    absl::Status committed = writer_->Execute("COMMIT", {}).status();
    if (!committed.ok()) {
      if (writer_->InTransaction()) (void)writer_->Execute("ROLLBACK", {});
      for (absl::StatusOr<Result>& result : results) {
        if (result.ok()) result = committed;
      }
    }
    return results;
  }

  // BEGIN through Execute() would leave a pooled connection inside a transaction that nothing
  // ends; undo it and point at Begin().
  static absl::StatusOr<Result> CheckAutocommit(SqliteConnection& connection,
                                                absl::StatusOr<Result> result) {
    if (!connection.InTransaction()) return result;
    (void)connection.Execute("ROLLBACK", {});
    return absl::FailedPreconditionError(
        "sqlite: transaction control through Execute(); use Database::Begin()");
  }

  const std::chrono::milliseconds busy_timeout_;
  const CrashPoint crash_point_;

  // The most writes one shared transaction holds, so no writer waits behind an endless batch.
  static constexpr size_t kMaxSharedWrites = 256;
  std::mutex queue_mutex_;
  std::condition_variable written_;
  std::vector<QueuedWrite*> queue_;  // guarded by queue_mutex_
  bool leading_ = false;             // guarded by queue_mutex_: a shared transaction is running

  std::timed_mutex writer_mutex_;
  const std::unique_ptr<SqliteConnection> writer_;  // used only while holding writer_mutex_

  std::mutex readers_mutex_;
  std::condition_variable readers_available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by readers_mutex_
  const bool has_readers_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:" ||
      options.path.starts_with("file::memory:")) {
    return absl::InvalidArgumentError(
        "sqlite: a file path is required; an in-memory database is private to one connection");
  }
  TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> writer,
                          SqliteConnection::Open(options, SqliteConnection::Role::kWriter));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < options.readers; ++i) {
    TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> reader,
                            SqliteConnection::Open(options, SqliteConnection::Role::kReader));
    readers.push_back(std::move(reader));
  }
  return std::make_unique<SqliteDatabase>(options, std::move(writer), std::move(readers));
}

}  // namespace travio::db
