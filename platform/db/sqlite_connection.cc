#include "platform/db/sqlite_connection.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"

namespace travio::db::internal {
namespace {

// Enough for every statement a service runs; clearing beats tracking recency at this size.
constexpr size_t kMaxCachedStatements = 256;

// Leaves a cached statement ready for its next use: reset releases its read snapshot (which
// would otherwise hold back WAL checkpoints) and the bindings point into the caller's params.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("sqlite: ", sql, ": ", message != nullptr ? message : sqlite3_errmsg(db)));
    sqlite3_free(message);
    return status;
  }
  return absl::OkStatus();
}

Value ColumnValue(sqlite3_stmt* stmt, int column) {
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, column));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, column);
    case SQLITE_TEXT: {
      // text before bytes: the byte count is of the representation last asked for.
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    }
    case SQLITE_BLOB: {
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, column));
      const int size = sqlite3_column_bytes(stmt, column);
      return Bytes{blob == nullptr ? std::string() : std::string(blob, static_cast<size_t>(size))};
    }
    default:
      return std::monostate();
  }
}

int BindValue(sqlite3_stmt* stmt, int index, const Value& value) {
  // SQLITE_STATIC: the params outlive the step; ResetOnExit clears the bindings afterwards.
  switch (value.index()) {
    case 0:
      return sqlite3_bind_null(stmt, index);
    case 1:
      return sqlite3_bind_int64(stmt, index, std::get<int64_t>(value));
    case 2:
      return sqlite3_bind_double(stmt, index, std::get<double>(value));
    case 3: {
      const std::string& text = std::get<std::string>(value);
      return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
    default: {
      const std::string& data = std::get<Bytes>(value).data;
      // An empty blob must stay a blob, not become NULL.
      if (data.empty()) return sqlite3_bind_zeroblob(stmt, index, 0);
      return sqlite3_bind_blob64(stmt, index, data.data(), data.size(), SQLITE_STATIC);
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const SqliteOptions& options, Role role) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (role == Role::kWriter) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  // "unix-excl": the process takes an exclusive lock on the file at its first read and keeps
  // it until its last connection closes; its connections share the write-ahead log's index in
  // memory. So no transaction takes file locks of its own (some twenty fcntl calls per booking
  // request before), and a second process cannot use the database at all: a second monolith
  // on the same data directory, whose seat ledger would never see this one's holds, fails to
  // start instead of selling the same seats. Nothing else in the process may open these files
  // (another VFS, a plain read of the file): closing any descriptor of a file drops every lock
  // the process holds on it (POSIX), and another VFS would keep its own WAL index.
  const int rc = sqlite3_open_v2(options.path.c_str(), &raw, flags, "unix-excl");
  SqliteHandle db(raw);  // a failed open still allocates a handle that must be closed
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(
        absl::StrCat("sqlite: cannot open ", options.path, ": ",
                     raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
  if (role == Role::kWriter) {
    // journal_mode is stored in the file, so the readers opened afterwards are in WAL too.
    if (absl::Status wal = Exec(db.get(), "PRAGMA journal_mode=WAL"); !wal.ok()) {
      if ((sqlite3_errcode(db.get()) & 0xff) == SQLITE_BUSY) {
        return absl::FailedPreconditionError(
            absl::StrCat("sqlite: ", options.path,
                         " is in use by another process; a data directory serves one travio "
                         "process at a time"));
      }
      return wal;
    }
    TRAVIO_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA synchronous=NORMAL"));
    TRAVIO_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA foreign_keys=ON"));
  } else {
    // A reader only ever gets statements that sqlite3_stmt_readonly() accepted; this makes
    // a mistake there an error instead of a second writer.
    TRAVIO_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA query_only=ON"));
  }
  return std::unique_ptr<SqliteConnection>(new SqliteConnection(std::move(db)));
}

absl::Status SqliteConnection::Error(int code) const {
  const std::string message = absl::StrCat("sqlite: ", sqlite3_errmsg(db_.get()));
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return absl::AlreadyExistsError(message);
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      // Only returned once the busy timeout has run out.
      return absl::DeadlineExceededError(message);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      // Not the statement's fault; retrying the same SQL cannot help either.
      return absl::InternalError(message);
    default:
      return absl::InvalidArgumentError(message);
  }
}

absl::StatusOr<sqlite3_stmt*> SqliteConnection::Prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();

  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  SqliteStatement stmt(raw);
  if (rc != SQLITE_OK) return Error(sqlite3_extended_errcode(db_.get()));
  if (stmt == nullptr) return nullptr;  // only whitespace or comments

  // PostgreSQL refuses several statements with parameters; refuse them here too rather than
  // silently running only the first.
  const std::string_view rest(tail, static_cast<size_t>(sql.data() + sql.size() - tail));
  sqlite3_stmt* extra = nullptr;
  rc = sqlite3_prepare_v2(db_.get(), rest.data(), static_cast<int>(rest.size()), &extra, nullptr);
  SqliteStatement extra_owner(extra);
  if (rc != SQLITE_OK || extra != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("sqlite: one statement per Execute; found more after: ",
                     absl::string_view(sql.data(), static_cast<size_t>(tail - sql.data()))));
  }

  if (cache_.size() >= kMaxCachedStatements) cache_.clear();
  sqlite3_stmt* result = stmt.get();
  cache_.emplace(std::move(key), std::move(stmt));
  return result;
}

absl::Status SqliteConnection::Bind(sqlite3_stmt* stmt, std::span<const Value> params) const {
  std::vector<bool> used(params.size(), false);
  const int count = sqlite3_bind_parameter_count(stmt);
  for (int index = 1; index <= count; ++index) {
    const char* name = sqlite3_bind_parameter_name(stmt, index);
    size_t number = 0;
    if (name == nullptr || name[0] != '$' || !absl::SimpleAtoi(name + 1, &number) || number == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("sqlite: use $1, $2, ... placeholders, not ", name ? name : "?"));
    }
    if (number > params.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("sqlite: there is no parameter $", number, " (", params.size(), " given)"));
    }
    used[number - 1] = true;
    const int rc = BindValue(stmt, index, params[number - 1]);
    if (rc != SQLITE_OK) return Error(rc);
  }
  for (size_t i = 0; i < used.size(); ++i) {
    if (!used[i]) {
      return absl::InvalidArgumentError(
          absl::StrCat("sqlite: parameter $", i + 1, " is not used by the statement"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Result> SqliteConnection::Run(sqlite3_stmt* stmt, std::span<const Value> params) {
  Result result;
  if (stmt == nullptr) {
    if (!params.empty()) return absl::InvalidArgumentError("sqlite: parameters for no statement");
    return result;
  }
  ResetOnExit reset(stmt);
  TRAVIO_RETURN_IF_ERROR(Bind(stmt, params));

  const int columns = sqlite3_column_count(stmt);
  result.columns.reserve(static_cast<size_t>(columns));
  for (int c = 0; c < columns; ++c) result.columns.emplace_back(sqlite3_column_name(stmt, c));

  const sqlite3_int64 changes_before = sqlite3_total_changes64(db_.get());
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) values.push_back(ColumnValue(stmt, c));
    result.rows.emplace_back(std::move(values));
  }
  if (rc != SQLITE_DONE) return Error(sqlite3_extended_errcode(db_.get()));
  // sqlite3_changes64() keeps the count of the last INSERT/UPDATE/DELETE, so a statement that
  // changed nothing (DDL, a SELECT) would otherwise report its predecessor's count.
  if (sqlite3_total_changes64(db_.get()) != changes_before) {
    result.affected_rows = sqlite3_changes64(db_.get());
  }
  return result;
}

absl::StatusOr<Result> SqliteConnection::Execute(std::string_view sql,
                                                 std::span<const Value> params) {
  TRAVIO_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
  return Run(stmt, params);
}

}  // namespace travio::db::internal
