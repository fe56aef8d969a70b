#include "platform/db/database.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace travio::db {
namespace {

// Reading a column as the wrong type is a programming error the caller cannot handle (the
// accessors return plain values, and exceptions are not used), so it stops the process with a
// message that names the column.
[[noreturn]] void Misuse(std::string_view accessor, size_t column, std::string_view what) {
  std::fprintf(stderr, "travio::db::Row::%.*s(column %zu): %.*s\n",
               static_cast<int>(accessor.size()), accessor.data(), column,
               static_cast<int>(what.size()), what.data());
  std::abort();
}

const char* TypeName(const Value& value) {
  switch (value.index()) {
    case 0:
      return "NULL";
    case 1:
      return "an integer";
    case 2:
      return "a double";
    case 3:
      return "text";
    default:
      return "bytes";
  }
}

// vector::at() would throw; a wrong column index is the same kind of bug as a wrong type.
const Value& Column(const std::vector<Value>& values, std::string_view accessor, size_t column) {
  if (column >= values.size()) {
    Misuse(accessor, column, absl::StrCat("the row has only ", values.size(), " columns"));
  }
  return values[column];
}

}  // namespace

bool Row::IsNull(size_t column) const {
  return std::holds_alternative<std::monostate>(Column(values_, "IsNull", column));
}

int64_t Row::Int(size_t column) const {
  const Value& value = Column(values_, "Int", column);
  if (std::holds_alternative<std::monostate>(value)) return 0;
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) {
    // 2^63 bounds the doubles that convert without overflow (which would be undefined).
    constexpr double kLimit = 9223372036854775808.0;
    if (*d == std::trunc(*d) && *d >= -kLimit && *d < kLimit) return static_cast<int64_t>(*d);
    Misuse("Int", column, absl::StrCat("the double ", *d, " is not an integer"));
  }
  // PostgreSQL returns NUMERIC (e.g. SUM over BIGINT) as text.
  if (const auto* s = std::get_if<std::string>(&value)) {
    int64_t parsed;
    if (absl::SimpleAtoi(*s, &parsed)) return parsed;
    Misuse("Int", column, absl::StrCat("the text \"", *s, "\" is not an integer"));
  }
  Misuse("Int", column, absl::StrCat("the value is ", TypeName(value)));
}

double Row::Double(size_t column) const {
  const Value& value = Column(values_, "Double", column);
  if (std::holds_alternative<std::monostate>(value)) return 0;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&value)) {
    double parsed;
    if (absl::SimpleAtod(*s, &parsed)) return parsed;
    Misuse("Double", column, absl::StrCat("the text \"", *s, "\" is not a number"));
  }
  Misuse("Double", column, absl::StrCat("the value is ", TypeName(value)));
}

std::string Row::Text(size_t column) const {
  const Value& value = Column(values_, "Text", column);
  if (std::holds_alternative<std::monostate>(value)) return {};
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<int64_t>(&value)) return absl::StrCat(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    // Shortest text that reads back as the same double, unlike StrCat's six digits.
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), *d);
    return std::string(buffer, end);
  }
  // SQLite hands back whatever was stored; text written as a blob is still the caller's text.
  return std::get<Bytes>(value).data;
}

std::string Row::Blob(size_t column) const {
  const Value& value = Column(values_, "Blob", column);
  if (std::holds_alternative<std::monostate>(value)) return {};
  if (const auto* b = std::get_if<Bytes>(&value)) return b->data;
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  Misuse("Blob", column, absl::StrCat("the value is ", TypeName(value)));
}

absl::Status Database::InTransaction(const std::function<absl::Status(Transaction&)>& work) {
  constexpr int kAttempts = 5;
  absl::Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      // Back off a little so the transaction that won the conflict can finish.
      std::this_thread::sleep_for(std::chrono::milliseconds(2 << attempt));
    }
    absl::StatusOr<std::unique_ptr<Transaction>> transaction = Begin();
    if (!transaction.ok()) {
      status = transaction.status();
    } else {
      status = work(**transaction);
      if (status.ok()) {
        status = (*transaction)->Commit();
      } else {
        (void)(*transaction)->Rollback();  // the work's error is the one worth reporting
      }
    }
    if (!absl::IsAborted(status)) return status;
  }
  return status;
}

}  // namespace travio::db
