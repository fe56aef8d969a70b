#include "platform/cel/value.h"

#include <cmath>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/cel/conversions.h"

namespace travio::cel {
namespace {

bool IsNumber(Kind kind) {
  return kind == Kind::kInt || kind == Kind::kUint || kind == Kind::kDouble;
}

int Sign(bool less, bool greater) { return less ? -1 : (greater ? 1 : 0); }

// An integer against a double: a double beyond the integer's range decides by its sign;
// otherwise both compare as doubles. That loses precision above 2^53, on purpose: it is what the
// reference implementation does and what the conformance suite expects
// (dyn(9223372036854775807) >= 9223372036854775808.0 is true).
std::optional<int> CompareIntDouble(int64_t i, double d) {
  if (std::isnan(d)) return std::nullopt;
  if (d < -9223372036854775808.0) return 1;
  if (d > 9223372036854775808.0) return -1;
  auto x = static_cast<double>(i);
  return Sign(x<d, x> d);
}

std::optional<int> CompareUintDouble(uint64_t u, double d) {
  if (std::isnan(d)) return std::nullopt;
  if (d < 0) return 1;
  if (d > 18446744073709551616.0) return -1;
  auto x = static_cast<double>(u);
  return Sign(x<d, x> d);
}

std::optional<int> CompareIntUint(int64_t i, uint64_t u) {
  if (i < 0) return -1;
  auto as_unsigned = static_cast<uint64_t>(i);
  return Sign(as_unsigned<u, as_unsigned> u);
}

}  // namespace

Map::Map(std::vector<std::pair<Value, Value>> entries) : entries_(std::move(entries)) {}

const Value* Map::Find(const Value& key) const {
  for (const auto& [k, v] : entries_) {
    if (Equal(k, key)) return &v;
  }
  return nullptr;
}

const Value* Map::FindField(absl::string_view name) const {
  for (const auto& [k, v] : entries_) {
    if (k.kind() == Kind::kString && k.string_value() == name) return &v;
  }
  return nullptr;
}

absl::string_view TypeName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
    case Kind::kTimestamp:
      return "google.protobuf.Timestamp";
    case Kind::kDuration:
      return "google.protobuf.Duration";
    case Kind::kType:
      return "type";
    case Kind::kError:
      return "error";
  }
  return "unknown";
}

std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case Kind::kInt:
      switch (b.kind()) {
        case Kind::kInt:
          return Sign(a.int_value() < b.int_value(), a.int_value() > b.int_value());
        case Kind::kUint:
          return CompareIntUint(a.int_value(), b.uint_value());
        case Kind::kDouble:
          return CompareIntDouble(a.int_value(), b.double_value());
        default:
          return std::nullopt;
      }
    case Kind::kUint:
      switch (b.kind()) {
        case Kind::kInt: {
          auto reversed = CompareIntUint(b.int_value(), a.uint_value());
          return -*reversed;
        }
        case Kind::kUint:
          return Sign(a.uint_value() < b.uint_value(), a.uint_value() > b.uint_value());
        case Kind::kDouble:
          return CompareUintDouble(a.uint_value(), b.double_value());
        default:
          return std::nullopt;
      }
    case Kind::kDouble: {
      if (!IsNumber(b.kind())) return std::nullopt;
      if (b.kind() != Kind::kDouble) {
        auto reversed = CompareNumbers(b, a);
        if (!reversed) return std::nullopt;
        return -*reversed;
      }
      double x = a.double_value();
      double y = b.double_value();
      if (std::isnan(x) || std::isnan(y)) return std::nullopt;
      return Sign(x<y, x> y);
    }
    default:
      return std::nullopt;
  }
}

bool Equal(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    auto order = CompareNumbers(a, b);
    return order && *order == 0;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.bool_value() == b.bool_value();
    case Kind::kString:
      return a.string_value() == b.string_value();
    case Kind::kBytes:
      return a.bytes_value() == b.bytes_value();
    case Kind::kList: {
      const List& x = a.list_value();
      const List& y = b.list_value();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!Equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kMap: {
      const Map& x = a.map_value();
      const Map& y = b.map_value();
      if (x.size() != y.size()) return false;
      for (const auto& [key, value] : x.entries()) {
        const Value* other = y.Find(key);
        if (other == nullptr || !Equal(value, *other)) return false;
      }
      return true;
    }
    case Kind::kTimestamp:
      return a.timestamp_value() == b.timestamp_value();
    case Kind::kDuration:
      return a.duration_value() == b.duration_value();
    case Kind::kType:
      return a.type_value() == b.type_value();
    default:
      return false;
  }
}

namespace {

// Adds `value`'s cost to `cost`; false once it passed `limit` (the walk stops there).
bool AddWalkCost(const Value& value, int64_t limit, int64_t& cost) {
  switch (value.kind()) {
    case Kind::kString:
      cost += static_cast<int64_t>(value.string_value().size() / 64);
      break;
    case Kind::kBytes:
      cost += static_cast<int64_t>(value.bytes_value().size() / 64);
      break;
    case Kind::kList:
      for (const Value& element : value.list_value()) {
        ++cost;
        if (cost > limit || !AddWalkCost(element, limit, cost)) return false;
      }
      break;
    case Kind::kMap: {
      const auto size = static_cast<int64_t>(value.map_value().size());
      cost += size * size / 8;
      for (const auto& [key, item] : value.map_value().entries()) {
        ++cost;
        if (cost > limit || !AddWalkCost(key, limit, cost) || !AddWalkCost(item, limit, cost)) {
          return false;
        }
      }
      break;
    }
    default:
      break;
  }
  return cost <= limit;
}

}  // namespace

int64_t WalkCost(const Value& value, int64_t limit) {
  int64_t cost = 0;
  AddWalkCost(value, limit, cost);
  return cost;
}

std::string DebugString(const Value& value) {
  switch (value.kind()) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return value.bool_value() ? "true" : "false";
    case Kind::kInt:
      return absl::StrCat(value.int_value());
    case Kind::kUint:
      return absl::StrCat(value.uint_value(), "u");
    case Kind::kDouble:
      return FormatDouble(value.double_value());
    case Kind::kString:
      return absl::StrCat("\"", absl::CHexEscape(value.string_value()), "\"");
    case Kind::kBytes:
      return absl::StrCat("b\"", absl::CHexEscape(value.bytes_value()), "\"");
    case Kind::kList:
      return absl::StrCat("[",
                          absl::StrJoin(value.list_value(), ", ",
                                        [](std::string* out, const Value& element) {
                                          out->append(DebugString(element));
                                        }),
                          "]");
    case Kind::kMap:
      return absl::StrCat("{",
                          absl::StrJoin(value.map_value().entries(), ", ",
                                        [](std::string* out, const std::pair<Value, Value>& entry) {
                                          absl::StrAppend(out, DebugString(entry.first), ": ",
                                                          DebugString(entry.second));
                                        }),
                          "}");
    case Kind::kTimestamp:
      return absl::StrCat("timestamp(\"", FormatTimestamp(value.timestamp_value()), "\")");
    case Kind::kDuration:
      return absl::StrCat("duration(\"", FormatDurationSeconds(value.duration_value()), "\")");
    case Kind::kType:
      return value.type_value();
    case Kind::kError:
      return absl::StrCat("error(", value.error().message(), ")");
  }
  return "?";
}

}  // namespace travio::cel
