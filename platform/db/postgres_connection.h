#pragma once

// Statements on one libpq connection: parameter encoding, result decoding, error mapping.
// Private to platform/db.

#include <libpq-fe.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/db/database.h"

namespace travio::db::internal {

struct PgConnCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using PgConnection = std::unique_ptr<PGconn, PgConnCloser>;

/// Checks that `dsn` is a connection string libpq understands, without connecting.
absl::Status ValidateDsn(const std::string& dsn);

/// Opens a connection; kUnavailable when the server cannot be reached.
absl::StatusOr<PgConnection> Connect(const std::string& dsn);

/// Runs one statement with `$N` parameters. Not thread-safe per connection.
absl::StatusOr<Result> Execute(PGconn* connection, std::string_view sql,
                               std::span<const Value> params);

}  // namespace travio::db::internal
