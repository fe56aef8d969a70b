#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace travio::cel {

class Value;
using List = std::vector<Value>;

class Map;

struct NullValue {
  bool operator==(const NullValue&) const = default;
};
/// A byte string; a distinct alternative so it never mixes with `string`.
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};
/// A type as a value: what `type(x)` returns and what `int` or `list` name.
struct TypeValue {
  std::string name;
  bool operator==(const TypeValue&) const = default;
};
/// An evaluation error carried as a value, so `&&`, `||` and the macros can absorb it when the
/// other side decides the result.
struct ErrorValue {
  absl::Status status;
};

enum class Kind {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kTimestamp,
  kDuration,
  kType,
  kError,
};

/// A CEL value. Lists and maps are immutable and shared, so copying a value is cheap.
class Value {
 public:
  Value() : data_(NullValue{}) {}
  Value(NullValue) : data_(NullValue{}) {}
  Value(bool value) : data_(value) {}
  Value(int value) : data_(int64_t{value}) {}
  Value(int64_t value) : data_(value) {}
  Value(uint64_t value) : data_(value) {}
  Value(double value) : data_(value) {}
  Value(std::string value) : data_(std::move(value)) {}
  Value(const char* value) : data_(std::string(value)) {}
  Value(Bytes value) : data_(std::move(value)) {}
  Value(List value) : data_(std::make_shared<const List>(std::move(value))) {}
  Value(std::shared_ptr<const List> value) : data_(std::move(value)) {}
  Value(Map value);
  Value(std::shared_ptr<const Map> value) : data_(std::move(value)) {}
  Value(absl::Time value) : data_(value) {}
  Value(absl::Duration value) : data_(value) {}
  Value(TypeValue value) : data_(std::move(value)) {}
  Value(ErrorValue value) : data_(std::move(value)) {}

  static Value Error(absl::Status status) { return Value(ErrorValue{std::move(status)}); }

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_error() const { return kind() == Kind::kError; }

  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  uint64_t uint_value() const { return std::get<uint64_t>(data_); }
  double double_value() const { return std::get<double>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }
  const std::string& bytes_value() const { return std::get<Bytes>(data_).data; }
  const List& list_value() const { return *std::get<std::shared_ptr<const List>>(data_); }
  const std::shared_ptr<const List>& shared_list() const {
    return std::get<std::shared_ptr<const List>>(data_);
  }
  const Map& map_value() const { return *std::get<std::shared_ptr<const Map>>(data_); }
  absl::Time timestamp_value() const { return std::get<absl::Time>(data_); }
  absl::Duration duration_value() const { return std::get<absl::Duration>(data_); }
  const std::string& type_value() const { return std::get<TypeValue>(data_).name; }
  const absl::Status& error() const { return std::get<ErrorValue>(data_).status; }

 private:
  // The order of the alternatives is the order of Kind.
  std::variant<NullValue, bool, int64_t, uint64_t, double, std::string, Bytes,
               std::shared_ptr<const List>, std::shared_ptr<const Map>, absl::Time, absl::Duration,
               TypeValue, ErrorValue>
      data_;
};

/// A CEL map: keys are bool, int, uint or string. Entries keep the order they were written in,
/// so a map prints and serializes the same way every time. Lookups are linear: the maps a rule
/// sees (a trip, a seat) hold a handful of entries.
class Map {
 public:
  Map() = default;
  explicit Map(std::vector<std::pair<Value, Value>> entries);

  /// The value under `key`, comparing numeric keys by value (`m[1u]` finds the key `1`).
  const Value* Find(const Value& key) const;
  /// Looks up a string key without building a Value.
  const Value* FindField(absl::string_view name) const;
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<std::pair<Value, Value>> entries_;
};

inline Value::Value(Map value) : data_(std::make_shared<const Map>(std::move(value))) {}

/// The CEL name of a value's type, as `type(x)` gives it: "int", "list",
/// "google.protobuf.Timestamp", "null_type", ...
absl::string_view TypeName(Kind kind);

/// Orders two numbers of any numeric kinds by value (-1, 0, 1); nullopt when either is NaN or
/// either is not a number.
std::optional<int> CompareNumbers(const Value& a, const Value& b);

/// CEL equality: numbers compare by value across int, uint and double; values of different
/// kinds are unequal; lists and maps compare element by element. NaN equals nothing.
bool Equal(const Value& a, const Value& b);

/// What walking `value` whole costs: one per element or entry at any depth, plus strings' and
/// bytes' lengths in 64-byte units and a map's linear key lookups. Lists and maps are shared, so
/// a value's expanded size can grow exponentially with the expression that built it (`[a, a]`
/// in nested macros) while building it took a few steps: the walk stops as soon as the cost
/// passes `limit` and then returns a figure above `limit`.
int64_t WalkCost(const Value& value, int64_t limit);

/// A readable rendering for messages and tests: `[1, "a", 2u]`, `{"k": 1.5}`,
/// `timestamp("2026-01-01T00:00:00Z")`.
std::string DebugString(const Value& value);

}  // namespace travio::cel
