#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/base/crash_point.h"

namespace travio::db {

/// Binary data for BLOB (SQLite) / BYTEA (PostgreSQL) columns.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

/// A statement parameter or a column value. Services use one portable subset of SQL types:
/// ids and text as TEXT, money, instants (unix microseconds) and flags as BIGINT, binary as
/// BLOB/BYTEA. NULL is std::monostate.
using Value = std::variant<std::monostate, int64_t, double, std::string, Bytes>;

/// One result row. Accessors convert leniently between the engines' representations (an
/// integer column is an int64 on both engines) and return a clear error for a type mismatch.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const Value& at(size_t column) const { return values_.at(column); }
  bool IsNull(size_t column) const;
  /// The column as an integer; 0 for NULL.
  int64_t Int(size_t column) const;
  double Double(size_t column) const;
  /// The column as text; empty for NULL.
  std::string Text(size_t column) const;
  /// The column as raw bytes; empty for NULL.
  std::string Blob(size_t column) const;

 private:
  std::vector<Value> values_;
};

/// The outcome of one statement.
struct Result {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  /// Rows inserted, updated or deleted by the statement.
  int64_t affected_rows = 0;
};

/// Which engine a database is; used only where the portable subset cannot express something
/// (an exclusion constraint, SKIP LOCKED), with both statements kept side by side.
enum class Dialect { kSqlite, kPostgres };

/// Something statements run on: the database itself (autocommit) or an open transaction.
/// Statements use `$1`, `$2`, ... placeholders on both engines.
class Session {
 public:
  virtual ~Session() = default;
  virtual absl::StatusOr<Result> Execute(std::string_view sql, std::span<const Value> params) = 0;
  absl::StatusOr<Result> Execute(std::string_view sql) { return Execute(sql, {}); }
  absl::StatusOr<Result> Execute(std::string_view sql, std::initializer_list<Value> params) {
    return Execute(sql, std::span<const Value>(params.begin(), params.size()));
  }
  virtual Dialect dialect() const = 0;
};

/// An open transaction. Destroying it without Commit() rolls it back.
class Transaction : public Session {
 public:
  using Session::Execute;
  virtual absl::Status Commit() = 0;
  virtual absl::Status Rollback() = 0;
};

/// A database with a pool of connections. Thread-safe.
///
/// Error codes: kAlreadyExists for a unique or exclusion constraint violation, kAborted for a
/// serialization failure or deadlock (safe to retry the whole transaction), kUnavailable when the
/// server cannot be reached, kInvalidArgument for SQL errors, kDeadlineExceeded on timeout.
class Database : public Session {
 public:
  using Session::Execute;
  /// Starts a transaction on a connection of its own; writes conflict as the engine decides
  /// (SQLite serialises writers; PostgreSQL runs READ COMMITTED).
  virtual absl::StatusOr<std::unique_ptr<Transaction>> Begin() = 0;

  /// Runs `work` in a transaction and commits it when `work` returns OK; rolls back otherwise.
  /// A kAborted failure (serialization, deadlock) is retried a few times.
  absl::Status InTransaction(const std::function<absl::Status(Transaction&)>& work);
};

struct SqliteOptions {
  /// Path of the database file; created when missing. ":memory:" is not supported (each
  /// connection would see its own database).
  std::string path;
  /// Read connections besides the one writer.
  int readers = 4;
  /// How long a statement waits for a lock before failing with kDeadlineExceeded.
  int busy_timeout_ms = 5000;
  /// Test hook: "sqlite:group-commit" kills the process after a shared transaction's writes
  /// and before its commit (see OpenSqlite).
  CrashPoint crash_point;
};

/// SQLite in WAL mode, synchronous=NORMAL, foreign keys on: one writer connection, several
/// readers. Writes outside a transaction (INSERT, UPDATE, DELETE) that arrive while another is
/// being written share one transaction (group commit): each in a savepoint of its own, so one
/// failing leaves the others; each answered only after the commit that made it durable.
absl::StatusOr<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

struct PostgresOptions {
  /// libpq connection string, e.g. "postgresql://travio@127.0.0.1:5432/travio".
  std::string dsn;
  /// Connections kept open.
  int pool_size = 8;
  /// How long to wait for a free connection before failing with kUnavailable.
  int acquire_timeout_ms = 5000;
};

/// PostgreSQL through libpq with a fixed-size connection pool.
absl::StatusOr<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options);

/// Who a libpq connection string logs in as, and where: its user, its password when it names
/// one (else libpq takes it from PGPASSWORD or a password file, or the server needs none), and
/// the hosts of `host` and `hostaddr` (none: the local Unix socket). kInvalidArgument for a
/// string libpq cannot parse (the message never repeats it).
struct PostgresLogin {
  std::string user;
  std::optional<std::string> password;
  std::vector<std::string> hosts;
  /// A service file's section names the hosts instead (`service=`).
  bool service = false;
};
absl::StatusOr<PostgresLogin> PostgresLoginOf(const std::string& dsn);

}  // namespace travio::db
