#include "platform/db/migrations.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"

namespace travio::db {
namespace {

// Any fixed number works as long as nothing else in the database uses it for an advisory lock.
constexpr std::string_view kLockStatement = "SELECT pg_advisory_xact_lock(7526481203114229857)";

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "module TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, "
    "checksum TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";

std::string_view SqlFor(const Migration& migration, Dialect dialect) {
  if (dialect == Dialect::kPostgres && !migration.postgres_sql.empty()) {
    return migration.postgres_sql;
  }
  return migration.sql;
}

std::string Checksum(std::string_view sql) {
  if (sodium_init() < 0) std::abort();  // idempotent; fails only without a usable libsodium
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(sql.data()), sql.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
  return hex;
}

std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  auto flush = [&] {
    const absl::string_view statement = absl::StripAsciiWhitespace(current);
    if (!statement.empty()) statements.emplace_back(statement);
    current.clear();
  };
  for (absl::string_view line : absl::StrSplit(ToAbsl(sql), '\n')) {
    const absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(line);
    if (absl::EndsWith(trimmed, ";")) {
      absl::StrAppend(&current, trimmed.substr(0, trimmed.size() - 1));
      flush();
    } else {
      absl::StrAppend(&current, line, "\n");
    }
  }
  flush();
  return statements;
}

// Serialises appliers in different processes; SQLite's single writer already does.
absl::Status Lock(Transaction& transaction) {
  if (transaction.dialect() != Dialect::kPostgres) return absl::OkStatus();
  return transaction.Execute(kLockStatement).status();
}

absl::Status Annotate(const absl::Status& status, std::string_view module,
                      const Migration& migration) {
  return absl::Status(status.code(),
                      absl::StrCat("migration ", ToAbsl(module), " v", migration.version, " (",
                                   ToAbsl(migration.name), "): ", status.message()));
}

using Known = std::map<int64_t, const Migration*>;

// The versions applied so far, after checking they are all known and unchanged.
absl::StatusOr<std::set<int64_t>> CheckApplied(Session& session, std::string_view module,
                                               const Known& known) {
  TRAVIO_ASSIGN_OR_RETURN(
      Result result,
      session.Execute("SELECT version, checksum FROM schema_migrations WHERE module = $1",
                      {std::string(module)}));
  std::set<int64_t> applied;
  for (const Row& row : result.rows) {
    const int64_t version = row.Int(0);
    const auto it = known.find(version);
    if (it == known.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("migrations of ", ToAbsl(module), ": the database has version ", version,
                       ", which this binary does not know (a downgrade?)"));
    }
    const std::string expected = Checksum(SqlFor(*it->second, session.dialect()));
    if (row.Text(1) != expected) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", ToAbsl(module), " v", version, " (", ToAbsl(it->second->name),
                       ") was changed after it was applied; add a new migration instead"));
    }
    applied.insert(version);
  }
  return applied;
}

absl::Status Apply(Transaction& transaction, std::string_view module, const Known& known,
                   const Migration& migration) {
  TRAVIO_RETURN_IF_ERROR(Lock(transaction));
  // Another process may have applied it since we looked.
  TRAVIO_ASSIGN_OR_RETURN(auto applied, CheckApplied(transaction, module, known));
  if (applied.contains(migration.version)) return absl::OkStatus();

  const std::string_view sql = SqlFor(migration, transaction.dialect());
  for (const std::string& statement : SplitStatements(sql)) {
    TRAVIO_RETURN_IF_ERROR(transaction.Execute(statement).status());
  }
  return transaction
      .Execute(
          "INSERT INTO schema_migrations (module, version, name, checksum, applied_at) "
          "VALUES ($1, $2, $3, $4, $5)",
          {std::string(module), int64_t{migration.version}, std::string(migration.name),
           Checksum(sql), absl::ToUnixMicros(absl::Now())})
      .status();
}

}  // namespace

absl::Status ApplyMigrations(Database& database, std::string_view module,
                             std::span<const Migration> migrations) {
  Known known;
  for (const Migration& migration : migrations) {
    if (migration.version <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration ", ToAbsl(module), " ", ToAbsl(migration.name), ": versions start at 1"));
    }
    if (!known.emplace(migration.version, &migration).second) {
      return absl::InvalidArgumentError(absl::StrCat("migrations of ", ToAbsl(module), ": version ",
                                                     migration.version, " twice"));
    }
  }

  TRAVIO_RETURN_IF_ERROR(database.InTransaction([](Transaction& transaction) {
    TRAVIO_RETURN_IF_ERROR(Lock(transaction));
    return transaction.Execute(kCreateTable).status();
  }));

  TRAVIO_ASSIGN_OR_RETURN(auto applied, CheckApplied(database, module, known));
  for (const auto& [version, pending] : known) {
    if (applied.contains(version)) continue;
    const Migration& migration = *pending;  // clang 14 cannot capture structured bindings
    absl::Status status = database.InTransaction(
        [&](Transaction& transaction) { return Apply(transaction, module, known, migration); });
    if (!status.ok()) return Annotate(status, module, migration);
  }
  return absl::OkStatus();
}

}  // namespace travio::db
