#include "platform/cel/functions.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/text.h"
#include "platform/cel/ast.h"
#include "platform/cel/conversions.h"
#include "re2/re2.h"

namespace travio::cel {

bool Overload::Accepts(size_t index, const Value& value) const {
  return Fits(params[index], value);
}

const Overload* ChooseOverload(const std::vector<const Overload*>& overloads,
                               std::span<const Value> args) {
  for (const Overload* overload : overloads) {
    bool accepted = overload->params.size() == args.size();
    for (size_t i = 0; i < args.size() && accepted; ++i) accepted = overload->Accepts(i, args[i]);
    if (accepted) return overload;
  }
  return nullptr;
}

bool Fits(const Type& type, const Value& value) {
  switch (type.kind()) {
    case Type::Kind::kDyn:
    case Type::Kind::kTypeParam:
      return true;
    case Type::Kind::kNull:
      return value.kind() == Kind::kNull;
    case Type::Kind::kBool:
      return value.kind() == Kind::kBool;
    case Type::Kind::kInt:
      return value.kind() == Kind::kInt;
    case Type::Kind::kUint:
      return value.kind() == Kind::kUint;
    case Type::Kind::kDouble:
      return value.kind() == Kind::kDouble;
    case Type::Kind::kString:
      return value.kind() == Kind::kString;
    case Type::Kind::kBytes:
      return value.kind() == Kind::kBytes;
    case Type::Kind::kList:
      return value.kind() == Kind::kList;
    case Type::Kind::kMap:
    case Type::Kind::kObject:
      return value.kind() == Kind::kMap;
    case Type::Kind::kTimestamp:
      return value.kind() == Kind::kTimestamp;
    case Type::Kind::kDuration:
      return value.kind() == Kind::kDuration;
    case Type::Kind::kType:
      return value.kind() == Kind::kType;
    case Type::Kind::kError:
      return false;
  }
  return false;
}

void FunctionRegistry::Add(Overload overload) {
  std::string name = overload.function;
  overloads_[name].push_back(std::move(overload));
}

std::vector<const Overload*> FunctionRegistry::Find(absl::string_view function, bool member,
                                                    size_t arity) const {
  std::vector<const Overload*> found;
  auto it = overloads_.find(function);
  if (it == overloads_.end()) return found;
  for (const Overload& overload : it->second) {
    if (overload.member == member && overload.params.size() == arity) found.push_back(&overload);
  }
  return found;
}

bool FunctionRegistry::Has(absl::string_view function) const {
  return overloads_.find(function) != overloads_.end();
}

std::string DescribeArguments(std::span<const Value> args, bool member) {
  auto names = [](std::span<const Value> values) {
    return absl::StrJoin(values, ", ", [](std::string* out, const Value& value) {
      absl::StrAppend(out, TypeName(value.kind()));
    });
  };
  if (member && !args.empty()) {
    return absl::StrCat(TypeName(args[0].kind()), ".(", names(args.subspan(1)), ")");
  }
  return absl::StrCat("(", names(args), ")");
}

namespace {

using Args = std::span<const Value>;

Value Fail(std::string message) { return Value::Error(absl::InvalidArgumentError(message)); }
Value Overflow() { return Fail("integer overflow"); }

// ---- arithmetic ---------------------------------------------------------------------------

Value AddInt(Args a, CallContext&) {
  int64_t out;
  if (__builtin_add_overflow(a[0].int_value(), a[1].int_value(), &out)) return Overflow();
  return out;
}
Value SubInt(Args a, CallContext&) {
  int64_t out;
  if (__builtin_sub_overflow(a[0].int_value(), a[1].int_value(), &out)) return Overflow();
  return out;
}
Value MulInt(Args a, CallContext&) {
  int64_t out;
  if (__builtin_mul_overflow(a[0].int_value(), a[1].int_value(), &out)) return Overflow();
  return out;
}
Value DivInt(Args a, CallContext&) {
  int64_t x = a[0].int_value();
  int64_t y = a[1].int_value();
  if (y == 0) return Fail("division by zero");
  if (x == std::numeric_limits<int64_t>::min() && y == -1) return Overflow();
  return x / y;
}
Value ModInt(Args a, CallContext&) {
  int64_t x = a[0].int_value();
  int64_t y = a[1].int_value();
  if (y == 0) return Fail("modulus by zero");
  if (x == std::numeric_limits<int64_t>::min() && y == -1) return Overflow();
  return x % y;
}
Value NegateInt(Args a, CallContext&) {
  if (a[0].int_value() == std::numeric_limits<int64_t>::min()) return Overflow();
  return -a[0].int_value();
}

Value AddUint(Args a, CallContext&) {
  uint64_t out;
  if (__builtin_add_overflow(a[0].uint_value(), a[1].uint_value(), &out)) {
    return Fail("unsigned integer overflow");
  }
  return out;
}
Value SubUint(Args a, CallContext&) {
  uint64_t out;
  if (__builtin_sub_overflow(a[0].uint_value(), a[1].uint_value(), &out)) {
    return Fail("unsigned integer overflow");
  }
  return out;
}
Value MulUint(Args a, CallContext&) {
  uint64_t out;
  if (__builtin_mul_overflow(a[0].uint_value(), a[1].uint_value(), &out)) {
    return Fail("unsigned integer overflow");
  }
  return out;
}
Value DivUint(Args a, CallContext&) {
  if (a[1].uint_value() == 0) return Fail("division by zero");
  return a[0].uint_value() / a[1].uint_value();
}
Value ModUint(Args a, CallContext&) {
  if (a[1].uint_value() == 0) return Fail("modulus by zero");
  return a[0].uint_value() % a[1].uint_value();
}

Value AddDouble(Args a, CallContext&) { return a[0].double_value() + a[1].double_value(); }
Value SubDouble(Args a, CallContext&) { return a[0].double_value() - a[1].double_value(); }
Value MulDouble(Args a, CallContext&) { return a[0].double_value() * a[1].double_value(); }
Value DivDouble(Args a, CallContext&) { return a[0].double_value() / a[1].double_value(); }
Value NegateDouble(Args a, CallContext&) { return -a[0].double_value(); }

Value AddString(Args a, CallContext& context) {
  context.cost +=
      static_cast<int64_t>((a[0].string_value().size() + a[1].string_value().size()) / 64);
  return a[0].string_value() + a[1].string_value();
}
Value AddBytes(Args a, CallContext& context) {
  context.cost +=
      static_cast<int64_t>((a[0].bytes_value().size() + a[1].bytes_value().size()) / 64);
  return Bytes{a[0].bytes_value() + a[1].bytes_value()};
}
Value AddList(Args a, CallContext& context) {
  const List& x = a[0].list_value();
  const List& y = a[1].list_value();
  if (y.empty()) return a[0];
  if (x.empty()) return a[1];
  context.cost += static_cast<int64_t>((x.size() + y.size()) / 8);
  List out;
  out.reserve(x.size() + y.size());
  out.insert(out.end(), x.begin(), x.end());
  out.insert(out.end(), y.begin(), y.end());
  return out;
}

Value CheckedTimestamp(absl::Time time) {
  if (!InTimestampRange(time)) return Fail("timestamp overflow");
  return time;
}
Value CheckedDuration(absl::Duration duration) {
  if (!InDurationRange(duration)) return Fail("duration overflow");
  return duration;
}
Value AddTimestampDuration(Args a, CallContext&) {
  return CheckedTimestamp(a[0].timestamp_value() + a[1].duration_value());
}
Value AddDurationTimestamp(Args a, CallContext&) {
  return CheckedTimestamp(a[1].timestamp_value() + a[0].duration_value());
}
Value AddDuration(Args a, CallContext&) {
  return CheckedDuration(a[0].duration_value() + a[1].duration_value());
}
Value SubTimestamps(Args a, CallContext&) {
  return CheckedDuration(a[0].timestamp_value() - a[1].timestamp_value());
}
Value SubTimestampDuration(Args a, CallContext&) {
  return CheckedTimestamp(a[0].timestamp_value() - a[1].duration_value());
}
Value SubDuration(Args a, CallContext&) {
  return CheckedDuration(a[0].duration_value() - a[1].duration_value());
}
Value NegateDuration(Args a, CallContext&) { return CheckedDuration(-a[0].duration_value()); }

Value Not(Args a, CallContext&) { return !a[0].bool_value(); }

// ---- comparison ---------------------------------------------------------------------------

// -1, 0 or 1; nullopt when unordered (NaN).
std::optional<int> Order(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.kind()) {
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kDouble:
      return CompareNumbers(a, b);
    case Kind::kBool:
      return sign(a.bool_value(), b.bool_value());
    case Kind::kString:
      return sign(a.string_value(), b.string_value());
    case Kind::kBytes:
      return sign(a.bytes_value(), b.bytes_value());
    case Kind::kTimestamp:
      return sign(a.timestamp_value(), b.timestamp_value());
    case Kind::kDuration:
      return sign(a.duration_value(), b.duration_value());
    default:
      return std::nullopt;
  }
}

Value Less(Args a, CallContext&) {
  auto order = Order(a[0], a[1]);
  return order && *order < 0;
}
Value LessEqual(Args a, CallContext&) {
  auto order = Order(a[0], a[1]);
  return order && *order <= 0;
}
Value Greater(Args a, CallContext&) {
  auto order = Order(a[0], a[1]);
  return order && *order > 0;
}
Value GreaterEqual(Args a, CallContext&) {
  auto order = Order(a[0], a[1]);
  return order && *order >= 0;
}
// Equality stops at the first difference, so it walks no more than the cheaper side: charged
// before the walk, since shared lists can make both sides exponentially large.
bool ChargeComparison(const Value& a, const Value& b, CallContext& context) {
  const int64_t limit = context.Remaining();
  return context.Charge(std::min(WalkCost(a, limit), WalkCost(b, limit)));
}

Value Equals(Args a, CallContext& context) {
  if (!ChargeComparison(a[0], a[1], context)) return false;  // failed on its cost
  return Equal(a[0], a[1]);
}
Value NotEquals(Args a, CallContext& context) {
  if (!ChargeComparison(a[0], a[1], context)) return false;  // failed on its cost
  return !Equal(a[0], a[1]);
}

Value InList(Args a, CallContext& context) {
  const List& list = a[1].list_value();
  const int64_t limit = context.Remaining();
  const int64_t work =
      WalkCost(a[1], limit) + WalkCost(a[0], limit) * static_cast<int64_t>(list.size());
  if (!context.Charge(work)) return false;  // failed on its cost
  for (const Value& element : list) {
    if (Equal(element, a[0])) return true;
  }
  return false;
}
Value InMap(Args a, CallContext& context) {
  context.cost += static_cast<int64_t>(a[1].map_value().size() / 8);
  return a[1].map_value().Find(a[0]) != nullptr;
}

// ---- lists, maps, strings -----------------------------------------------------------------

Value IndexList(Args a, CallContext&) {
  const List& list = a[0].list_value();
  int64_t index = 0;
  const Value& key = a[1];
  if (key.kind() == Kind::kInt) {
    index = key.int_value();
  } else if (key.kind() == Kind::kUint) {
    if (key.uint_value() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Fail("index out of range");
    }
    index = static_cast<int64_t>(key.uint_value());
  } else {
    double d = key.double_value();
    if (std::trunc(d) != d || !(d > -9.2e18 && d < 9.2e18)) {
      return Fail(absl::StrCat("invalid list index ", FormatDouble(d)));
    }
    index = static_cast<int64_t>(d);
  }
  if (index < 0 || static_cast<uint64_t>(index) >= list.size()) {
    return Fail(absl::StrCat("index out of range: ", index, " of a list of ", list.size()));
  }
  return list[static_cast<size_t>(index)];
}

Value IndexMap(Args a, CallContext& context) {
  context.cost += static_cast<int64_t>(a[0].map_value().size() / 8);
  const Value* value = a[0].map_value().Find(a[1]);
  if (value == nullptr) return Fail(absl::StrCat("no such key: ", DebugString(a[1])));
  return *value;
}

Value SizeString(Args a, CallContext&) {
  return static_cast<int64_t>(CodePoints(a[0].string_value()));
}
Value SizeBytes(Args a, CallContext&) { return static_cast<int64_t>(a[0].bytes_value().size()); }
Value SizeList(Args a, CallContext&) { return static_cast<int64_t>(a[0].list_value().size()); }
Value SizeMap(Args a, CallContext&) { return static_cast<int64_t>(a[0].map_value().size()); }

// A substring search may compare every position of the text with the whole needle.
Value Contains(Args a, CallContext& context) {
  const auto text = static_cast<int64_t>(a[0].string_value().size());
  const auto needle = static_cast<int64_t>(a[1].string_value().size());
  context.cost += text / 16 + (text / 64) * (needle / 64);
  return absl::StrContains(a[0].string_value(), a[1].string_value());
}
Value StartsWith(Args a, CallContext& context) {
  context.cost += static_cast<int64_t>(a[1].string_value().size() / 64);
  return absl::StartsWith(a[0].string_value(), a[1].string_value());
}
Value EndsWith(Args a, CallContext& context) {
  context.cost += static_cast<int64_t>(a[1].string_value().size() / 64);
  return absl::EndsWith(a[0].string_value(), a[1].string_value());
}

Value Matches(Args a, CallContext& context) {
  context.cost += static_cast<int64_t>(a[0].string_value().size() / 16);
  if (context.call.regex != nullptr) {
    return RE2::PartialMatch(a[0].string_value(), *context.call.regex);
  }
  // A pattern made while evaluating is compiled each time: charged for, and kept small.
  context.cost += 64 + static_cast<int64_t>(a[1].string_value().size());
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(int64_t{1} << 20);
  RE2 pattern(a[1].string_value(), options);
  if (!pattern.ok()) return Fail(absl::StrCat("invalid regular expression: ", pattern.error()));
  return RE2::PartialMatch(a[0].string_value(), pattern);
}

// ---- conversions --------------------------------------------------------------------------

Value Identity(Args a, CallContext&) { return a[0]; }

Value IntFromUint(Args a, CallContext&) {
  if (a[0].uint_value() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Fail("int out of range");
  }
  return static_cast<int64_t>(a[0].uint_value());
}
Value IntFromDouble(Args a, CallContext&) {
  double d = a[0].double_value();
  // Only strictly inside the range: the bounds themselves do not round-trip.
  if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
    return Fail("int out of range");
  }
  return static_cast<int64_t>(d);
}
Value IntFromString(Args a, CallContext&) {
  int64_t out;
  if (!absl::SimpleAtoi(a[0].string_value(), &out)) {
    return Fail(absl::StrCat("cannot convert \"", a[0].string_value(), "\" to int"));
  }
  return out;
}
Value IntFromTimestamp(Args a, CallContext&) { return absl::ToUnixSeconds(a[0].timestamp_value()); }

Value UintFromInt(Args a, CallContext&) {
  if (a[0].int_value() < 0) return Fail("uint out of range");
  return static_cast<uint64_t>(a[0].int_value());
}
Value UintFromDouble(Args a, CallContext&) {
  double d = a[0].double_value();
  if (!(d > -1.0 && d < 18446744073709551616.0)) return Fail("uint out of range");
  return static_cast<uint64_t>(d);
}
Value UintFromString(Args a, CallContext&) {
  uint64_t out;
  if (!absl::SimpleAtoi(a[0].string_value(), &out)) {
    return Fail(absl::StrCat("cannot convert \"", a[0].string_value(), "\" to uint"));
  }
  return out;
}

Value DoubleFromInt(Args a, CallContext&) { return static_cast<double>(a[0].int_value()); }
Value DoubleFromUint(Args a, CallContext&) { return static_cast<double>(a[0].uint_value()); }
Value DoubleFromString(Args a, CallContext&) {
  double out;
  if (!absl::SimpleAtod(a[0].string_value(), &out)) {
    return Fail(absl::StrCat("cannot convert \"", a[0].string_value(), "\" to double"));
  }
  return out;
}

bool ValidUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    uint32_t code_point = length == 1 ? c : c & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallest[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Value StringFromInt(Args a, CallContext&) { return absl::StrCat(a[0].int_value()); }
Value StringFromUint(Args a, CallContext&) { return absl::StrCat(a[0].uint_value()); }
Value StringFromDouble(Args a, CallContext&) { return FormatDouble(a[0].double_value()); }
Value StringFromBool(Args a, CallContext&) {
  return std::string(a[0].bool_value() ? "true" : "false");
}
Value StringFromBytes(Args a, CallContext&) {
  if (!ValidUtf8(a[0].bytes_value())) return Fail("bytes are not valid UTF-8");
  return a[0].bytes_value();
}
Value StringFromTimestamp(Args a, CallContext&) { return FormatTimestamp(a[0].timestamp_value()); }
Value StringFromDuration(Args a, CallContext&) {
  return FormatDurationSeconds(a[0].duration_value());
}

Value BytesFromString(Args a, CallContext&) { return Bytes{a[0].string_value()}; }

Value BoolFromString(Args a, CallContext&) {
  const std::string& text = a[0].string_value();
  for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (text == yes) return true;
  }
  for (const char* no : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (text == no) return false;
  }
  return Fail(absl::StrCat("cannot convert \"", text, "\" to bool"));
}

Value DurationFromString(Args a, CallContext&) {
  auto duration = ParseDuration(a[0].string_value());
  if (!duration.ok()) return Value::Error(duration.status());
  return *duration;
}
Value TimestampFromString(Args a, CallContext&) {
  auto time = ParseTimestamp(a[0].string_value());
  if (!time.ok()) return Value::Error(time.status());
  return *time;
}
Value TimestampFromInt(Args a, CallContext&) {
  return CheckedTimestamp(absl::FromUnixSeconds(a[0].int_value()));
}

Value TypeOfValue(Args a, CallContext&) { return TypeValue{std::string(TypeName(a[0].kind()))}; }

// ---- timestamps and durations -------------------------------------------------------------

// The civil time of a timestamp in the zone named by the optional second argument, else in the
// evaluation's zone (UTC unless the caller chose another).
absl::StatusOr<absl::TimeZone::CivilInfo> CivilOf(Args a, const CallContext& context) {
  absl::TimeZone zone = context.time_zone;
  if (a.size() > 1) {
    auto parsed = ParseTimeZone(a[1].string_value());
    if (!parsed.ok()) return parsed.status();
    zone = *parsed;
  }
  return zone.At(a[0].timestamp_value());
}

template <int64_t (*Field)(const absl::TimeZone::CivilInfo&)>
Value TimestampField(Args a, CallContext& context) {
  auto civil = CivilOf(a, context);
  if (!civil.ok()) return Value::Error(civil.status());
  return Field(*civil);
}

int64_t FullYear(const absl::TimeZone::CivilInfo& c) { return c.cs.year(); }
int64_t Month(const absl::TimeZone::CivilInfo& c) { return c.cs.month() - 1; }
int64_t Date(const absl::TimeZone::CivilInfo& c) { return c.cs.day(); }
int64_t DayOfMonth(const absl::TimeZone::CivilInfo& c) { return c.cs.day() - 1; }
int64_t DayOfWeek(const absl::TimeZone::CivilInfo& c) {
  // absl counts from Monday; CEL from Sunday.
  switch (absl::GetWeekday(absl::CivilDay(c.cs))) {
    case absl::Weekday::sunday:
      return 0;
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
  }
  return 0;
}
int64_t DayOfYear(const absl::TimeZone::CivilInfo& c) {
  return absl::GetYearDay(absl::CivilDay(c.cs)) - 1;
}
int64_t Hours(const absl::TimeZone::CivilInfo& c) { return c.cs.hour(); }
int64_t Minutes(const absl::TimeZone::CivilInfo& c) { return c.cs.minute(); }
int64_t Seconds(const absl::TimeZone::CivilInfo& c) { return c.cs.second(); }
int64_t Milliseconds(const absl::TimeZone::CivilInfo& c) {
  return absl::ToInt64Milliseconds(c.subsecond);
}

Value DurationHours(Args a, CallContext&) { return absl::ToInt64Hours(a[0].duration_value()); }
Value DurationMinutes(Args a, CallContext&) { return absl::ToInt64Minutes(a[0].duration_value()); }
Value DurationSeconds(Args a, CallContext&) { return absl::ToInt64Seconds(a[0].duration_value()); }
Value DurationMilliseconds(Args a, CallContext&) {
  // The milliseconds within the second, as the reference implementation gives them.
  return absl::ToInt64Milliseconds(a[0].duration_value()) % 1000;
}

}  // namespace

std::shared_ptr<const FunctionRegistry> StandardLibrary() {
  auto registry = std::make_shared<FunctionRegistry>();
  auto global = [&](std::string name, std::vector<Type> params, Type result,
                    Implementation implementation) {
    registry->Add(
        Overload{std::move(name), false, std::move(params), std::move(result), implementation});
  };
  auto member = [&](std::string name, std::vector<Type> params, Type result,
                    Implementation implementation) {
    registry->Add(
        Overload{std::move(name), true, std::move(params), std::move(result), implementation});
  };
  const Type kBool = Type::Bool();
  const Type kInt = Type::Int();
  const Type kUint = Type::Uint();
  const Type kDouble = Type::Double();
  const Type kString = Type::String();
  const Type kBytes = Type::Bytes();
  const Type kTimestamp = Type::Timestamp();
  const Type kDuration = Type::Duration();
  const Type kA = Type::Param("A");
  const Type kB = Type::Param("B");
  const Type kListA = Type::List(kA);
  const Type kMapAB = Type::Map(kA, kB);

  // The operators the evaluator runs itself.
  global("_&&_", {kBool, kBool}, kBool, nullptr);
  global("_||_", {kBool, kBool}, kBool, nullptr);
  global("_?_:_", {kBool, kA, kA}, kA, nullptr);
  global("@not_strictly_false", {kBool}, kBool, nullptr);

  global("_+_", {kInt, kInt}, kInt, AddInt);
  global("_+_", {kUint, kUint}, kUint, AddUint);
  global("_+_", {kDouble, kDouble}, kDouble, AddDouble);
  global("_+_", {kString, kString}, kString, AddString);
  global("_+_", {kBytes, kBytes}, kBytes, AddBytes);
  global("_+_", {kListA, kListA}, kListA, AddList);
  global("_+_", {kTimestamp, kDuration}, kTimestamp, AddTimestampDuration);
  global("_+_", {kDuration, kTimestamp}, kTimestamp, AddDurationTimestamp);
  global("_+_", {kDuration, kDuration}, kDuration, AddDuration);
  global("_-_", {kInt, kInt}, kInt, SubInt);
  global("_-_", {kUint, kUint}, kUint, SubUint);
  global("_-_", {kDouble, kDouble}, kDouble, SubDouble);
  global("_-_", {kTimestamp, kTimestamp}, kDuration, SubTimestamps);
  global("_-_", {kTimestamp, kDuration}, kTimestamp, SubTimestampDuration);
  global("_-_", {kDuration, kDuration}, kDuration, SubDuration);
  global("_*_", {kInt, kInt}, kInt, MulInt);
  global("_*_", {kUint, kUint}, kUint, MulUint);
  global("_*_", {kDouble, kDouble}, kDouble, MulDouble);
  global("_/_", {kInt, kInt}, kInt, DivInt);
  global("_/_", {kUint, kUint}, kUint, DivUint);
  global("_/_", {kDouble, kDouble}, kDouble, DivDouble);
  global("_%_", {kInt, kInt}, kInt, ModInt);
  global("_%_", {kUint, kUint}, kUint, ModUint);
  global("-_", {kInt}, kInt, NegateInt);
  global("-_", {kDouble}, kDouble, NegateDouble);
  global("-_", {kDuration}, kDuration, NegateDuration);
  global("!_", {kBool}, kBool, Not);

  // Ordering: within a kind, and across the numeric kinds by value.
  const std::vector<Type> ordered = {kBool, kString, kBytes, kTimestamp, kDuration};
  const std::vector<Type> numeric = {kInt, kUint, kDouble};
  const std::pair<const char*, Implementation> relations[] = {
      {"_<_", Less}, {"_<=_", LessEqual}, {"_>_", Greater}, {"_>=_", GreaterEqual}};
  for (const auto& [name, implementation] : relations) {
    for (const Type& type : ordered) global(name, {type, type}, kBool, implementation);
    for (const Type& left : numeric) {
      for (const Type& right : numeric) global(name, {left, right}, kBool, implementation);
    }
  }
  global("_==_", {kA, kA}, kBool, Equals);
  global("_!=_", {kA, kA}, kBool, NotEquals);
  global("@in", {kA, kListA}, kBool, InList);
  global("@in", {kA, kMapAB}, kBool, InMap);

  global("_[_]", {kListA, kInt}, kA, IndexList);
  global("_[_]", {kListA, kUint}, kA, IndexList);
  global("_[_]", {kListA, kDouble}, kA, IndexList);
  global("_[_]", {kMapAB, kA}, kB, IndexMap);

  for (bool is_member : {false, true}) {
    auto add = [&](std::vector<Type> params, Implementation implementation) {
      registry->Add(Overload{"size", is_member, std::move(params), kInt, implementation});
    };
    add({kString}, SizeString);
    add({kBytes}, SizeBytes);
    add({kListA}, SizeList);
    add({kMapAB}, SizeMap);
  }
  member("contains", {kString, kString}, kBool, Contains);
  member("startsWith", {kString, kString}, kBool, StartsWith);
  member("endsWith", {kString, kString}, kBool, EndsWith);
  member("matches", {kString, kString}, kBool, Matches);
  global("matches", {kString, kString}, kBool, Matches);

  global("int", {kInt}, kInt, Identity);
  global("int", {kUint}, kInt, IntFromUint);
  global("int", {kDouble}, kInt, IntFromDouble);
  global("int", {kString}, kInt, IntFromString);
  global("int", {kTimestamp}, kInt, IntFromTimestamp);
  global("uint", {kUint}, kUint, Identity);
  global("uint", {kInt}, kUint, UintFromInt);
  global("uint", {kDouble}, kUint, UintFromDouble);
  global("uint", {kString}, kUint, UintFromString);
  global("double", {kDouble}, kDouble, Identity);
  global("double", {kInt}, kDouble, DoubleFromInt);
  global("double", {kUint}, kDouble, DoubleFromUint);
  global("double", {kString}, kDouble, DoubleFromString);
  global("string", {kString}, kString, Identity);
  global("string", {kInt}, kString, StringFromInt);
  global("string", {kUint}, kString, StringFromUint);
  global("string", {kDouble}, kString, StringFromDouble);
  global("string", {kBool}, kString, StringFromBool);
  global("string", {kBytes}, kString, StringFromBytes);
  global("string", {kTimestamp}, kString, StringFromTimestamp);
  global("string", {kDuration}, kString, StringFromDuration);
  global("bytes", {kBytes}, kBytes, Identity);
  global("bytes", {kString}, kBytes, BytesFromString);
  global("bool", {kBool}, kBool, Identity);
  global("bool", {kString}, kBool, BoolFromString);
  global("duration", {kDuration}, kDuration, Identity);
  global("duration", {kString}, kDuration, DurationFromString);
  global("timestamp", {kTimestamp}, kTimestamp, Identity);
  global("timestamp", {kString}, kTimestamp, TimestampFromString);
  global("timestamp", {kInt}, kTimestamp, TimestampFromInt);
  global("type", {kA}, Type::TypeOf(kA), TypeOfValue);
  global("dyn", {kA}, Type::Dyn(), Identity);

  const std::pair<const char*, Implementation> timestamp_fields[] = {
      {"getFullYear", TimestampField<FullYear>},
      {"getMonth", TimestampField<Month>},
      {"getDate", TimestampField<Date>},
      {"getDayOfMonth", TimestampField<DayOfMonth>},
      {"getDayOfWeek", TimestampField<DayOfWeek>},
      {"getDayOfYear", TimestampField<DayOfYear>},
      {"getHours", TimestampField<Hours>},
      {"getMinutes", TimestampField<Minutes>},
      {"getSeconds", TimestampField<Seconds>},
      {"getMilliseconds", TimestampField<Milliseconds>},
  };
  for (const auto& [name, implementation] : timestamp_fields) {
    member(name, {kTimestamp}, kInt, implementation);
    member(name, {kTimestamp, kString}, kInt, implementation);
  }
  member("getHours", {kDuration}, kInt, DurationHours);
  member("getMinutes", {kDuration}, kInt, DurationMinutes);
  member("getSeconds", {kDuration}, kInt, DurationSeconds);
  member("getMilliseconds", {kDuration}, kInt, DurationMilliseconds);
  return registry;
}

}  // namespace travio::cel
