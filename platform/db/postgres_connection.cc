#include "platform/db/postgres_connection.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "platform/base/status_macros.h"

namespace travio::db::internal {
namespace {

// Type OIDs from PostgreSQL's pg_type catalog; stable across server versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct PgFreer {
  void operator()(unsigned char* memory) const { PQfreemem(memory); }
};

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[32];
  // Shortest text that reads back as exactly this double.
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

// Parameters in the arrays PQexecParams wants. Integers and doubles carry their type so that
// `SELECT $1` and arithmetic on a parameter keep the type; text goes untyped (the server infers
// it from the context, as for a literal); bytes go in binary, which needs no escaping.
class EncodedParams {
 public:
  absl::Status Encode(std::span<const Value> params) {
    storage_.reserve(params.size());  // values_ points into storage_, which must not move
    for (const Value& param : params) {
      switch (param.index()) {
        case 0:
          Add(0, nullptr, 0, 0);
          break;
        case 1:
          storage_.push_back(absl::StrCat(std::get<int64_t>(param)));
          Add(kInt8Oid, storage_.back().c_str(), 0, 0);
          break;
        case 2:
          storage_.push_back(FormatDouble(std::get<double>(param)));
          Add(kFloat8Oid, storage_.back().c_str(), 0, 0);
          break;
        case 3: {
          const std::string& text = std::get<std::string>(param);
          if (text.find('\0') != std::string::npos) {
            return absl::InvalidArgumentError(
                "postgres: text cannot contain NUL bytes; pass binary data as Bytes");
          }
          Add(0, text.c_str(), 0, 0);
          break;
        }
        default: {
          const std::string& data = std::get<Bytes>(param).data;
          Add(kByteaOid, data.data(), static_cast<int>(data.size()), 1);
          break;
        }
      }
    }
    return absl::OkStatus();
  }

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void Add(Oid type, const char* value, int length, int format) {
    types_.push_back(type);
    values_.push_back(value);
    lengths_.push_back(length);
    formats_.push_back(format);
  }

  std::vector<std::string> storage_;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

absl::StatusOr<Value> Decode(Oid type, const char* text, int length) {
  const absl::string_view value(text, static_cast<size_t>(length));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t parsed;
      if (absl::SimpleAtoi(value, &parsed)) return parsed;
      break;
    }
    case kBoolOid:
      return int64_t{value == "t" ? 1 : 0};
    case kFloat4Oid:
    case kFloat8Oid: {
      if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (value == "Infinity") return std::numeric_limits<double>::infinity();
      if (value == "-Infinity") return -std::numeric_limits<double>::infinity();
      double parsed;
      if (absl::SimpleAtod(value, &parsed)) return parsed;
      break;
    }
    case kByteaOid: {
      size_t size = 0;
      std::unique_ptr<unsigned char, PgFreer> data(
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size));
      if (data == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
      return Bytes{std::string(reinterpret_cast<const char*>(data.get()), size)};
    }
    default:
      return std::string(value);
  }
  return absl::DataLossError(absl::StrCat("postgres: cannot read \"", value, "\" as type ", type));
}

// PGresult* rather than const: PQcmdStatus() and PQcmdTuples() take it so.
absl::StatusOr<Result> DecodeResult(PGresult* pg) {
  Result result;
  const int columns = PQnfields(pg);
  const int rows = PQntuples(pg);
  result.columns.reserve(static_cast<size_t>(columns));
  for (int c = 0; c < columns; ++c) result.columns.emplace_back(PQfname(pg, c));
  result.rows.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(pg, r, c)) {
        values.emplace_back();
        continue;
      }
      absl::StatusOr<Value> value =
          Decode(PQftype(pg, c), PQgetvalue(pg, r, c), PQgetlength(pg, r, c));
      if (!value.ok()) return value.status();
      values.push_back(*std::move(value));
    }
    result.rows.emplace_back(std::move(values));
  }
  // PQcmdTuples also counts SELECT and FETCH rows; only writes count as affected.
  const absl::string_view tag = PQcmdStatus(pg);
  if (absl::StartsWith(tag, "INSERT ") || absl::StartsWith(tag, "UPDATE ") ||
      absl::StartsWith(tag, "DELETE ") || absl::StartsWith(tag, "MERGE ")) {
    (void)absl::SimpleAtoi(PQcmdTuples(pg), &result.affected_rows);
  }
  return result;
}

absl::Status ErrorStatus(PGconn* connection, const PGresult* pg) {
  const char* sqlstate = pg != nullptr ? PQresultErrorField(pg, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = pg != nullptr ? PQresultErrorField(pg, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = pg != nullptr ? PQresultErrorField(pg, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string message =
      absl::StrCat("postgres: ", primary != nullptr ? primary : PQerrorMessage(connection));
  absl::StripTrailingAsciiWhitespace(&message);
  if (detail != nullptr) absl::StrAppend(&message, " (", detail, ")");
  if (sqlstate != nullptr) absl::StrAppend(&message, " [SQLSTATE ", sqlstate, "]");

  if (PQstatus(connection) == CONNECTION_BAD) return absl::UnavailableError(message);
  // Without a SQLSTATE the error came from libpq itself, not from the server.
  if (sqlstate == nullptr) return absl::InvalidArgumentError(message);
  const std::string_view code(sqlstate);
  const std::string_view error_class = code.substr(0, 2);
  if (code == "23505" || code == "23P01") return absl::AlreadyExistsError(message);
  if (code == "40001" || code == "40P01") return absl::AbortedError(message);
  if (code == "57014" || code == "55P03") return absl::DeadlineExceededError(message);
  // Connection exceptions, too many connections / out of resources, server shutting down.
  // 08P01 is the exception: the server rejected the message (e.g. too few parameters) and
  // the connection is still fine.
  if ((error_class == "08" && code != "08P01") || error_class == "53" || code == "57P01" ||
      code == "57P02" || code == "57P03") {
    return absl::UnavailableError(message);
  }
  // Invalid transaction state (incl. "current transaction is aborted"), object not in
  // prerequisite state: the statement is fine, the moment is not.
  if (error_class == "25" || error_class == "2D" || error_class == "55") {
    return absl::FailedPreconditionError(message);
  }
  return absl::InvalidArgumentError(message);
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

absl::Status ValidateDsn(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    // libpq's message quotes the offending part of the DSN, which may be the password.
    PQfreemem(error);
    return absl::InvalidArgumentError(
        "postgres: the connection string is not a valid libpq DSN (key=value pairs or a "
        "postgresql:// URI; percent-encode special characters in the password)");
  }
  PQconninfoFree(options);
  return absl::OkStatus();
}

absl::StatusOr<PgConnection> Connect(const std::string& dsn) {
  // Later settings win, so a connect_timeout in the DSN overrides this default.
  const char* const keywords[] = {"connect_timeout", "client_encoding", "dbname", nullptr};
  const char* const values[] = {"10", "UTF8", dsn.c_str(), nullptr};
  PgConnection connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (connection == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    std::string message =
        absl::StrCat("postgres: cannot connect: ", PQerrorMessage(connection.get()));
    absl::StripTrailingAsciiWhitespace(&message);
    return absl::UnavailableError(message);
  }
  // Notices ("relation already exists, skipping") would otherwise go to stderr.
  PQsetNoticeProcessor(connection.get(), &IgnoreNotice, nullptr);
  return connection;
}

absl::StatusOr<Result> Execute(PGconn* connection, std::string_view sql,
                               std::span<const Value> params) {
  EncodedParams encoded;
  if (absl::Status status = encoded.Encode(params); !status.ok()) return status;
  const std::string statement(sql);  // libpq wants it NUL-terminated
  PgResult pg(PQexecParams(connection, statement.c_str(), encoded.size(), encoded.types(),
                           encoded.values(), encoded.lengths(), encoded.formats(),
                           /*resultFormat=*/0));
  switch (PQresultStatus(pg.get())) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return DecodeResult(pg.get());
    case PGRES_EMPTY_QUERY:
      return Result();
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      // The connection now expects COPY data; starting afresh is the simple way out.
      PQreset(connection);
      return absl::InvalidArgumentError("postgres: COPY is not supported");
    default:
      return ErrorStatus(connection, pg.get());
  }
}

}  // namespace travio::db::internal

namespace travio::db {

absl::StatusOr<PostgresLogin> PostgresLoginOf(const std::string& dsn) {
  TRAVIO_RETURN_IF_ERROR(internal::ValidateDsn(dsn));
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), nullptr);
  PostgresLogin login;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (std::string_view(option->keyword) == "user") login.user = option->val;
    if (std::string_view(option->keyword) == "password") login.password = option->val;
    if (std::string_view(option->keyword) == "service") login.service = true;
    if (std::string_view(option->keyword) == "host" ||
        std::string_view(option->keyword) == "hostaddr") {
      for (absl::string_view host : absl::StrSplit(option->val, ',', absl::SkipEmpty())) {
        login.hosts.emplace_back(host);
      }
    }
  }
  PQconninfoFree(options);
  return login;
}

}  // namespace travio::db
