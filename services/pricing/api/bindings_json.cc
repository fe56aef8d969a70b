#include "services/pricing/api/bindings_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/cel/conversions.h"

namespace travio::pricing {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 16;
// The editor binds a trip, a seat and a few values: far less than these.
constexpr size_t kMaxBindingsBytes = 64 * 1024;
constexpr size_t kMaxStringBytes = 4096;
constexpr size_t kMaxItems = 1000;

absl::Status Invalid(const std::string& path, std::string message) {
  return WithFieldErrors(Error(reasons::kValidationFailed, "The bindings do not read."),
                         {{path, std::move(message)}});
}

absl::StatusOr<cel::Value> Natural(const Json& json, const std::string& path, int depth) {
  if (depth > kMaxDepth) return Invalid(path, "nests too deeply");
  switch (json.type()) {
    case Json::value_t::null:
      return cel::Value(cel::NullValue{});
    case Json::value_t::boolean:
      return cel::Value(json.get<bool>());
    case Json::value_t::number_integer:
      return cel::Value(json.get<int64_t>());
    case Json::value_t::number_unsigned: {
      auto value = json.get<uint64_t>();
      if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Invalid(path, "is beyond the range of an int");
      }
      return cel::Value(static_cast<int64_t>(value));
    }
    case Json::value_t::number_float:
      return cel::Value(json.get<double>());
    case Json::value_t::string:
      if (json.get_ref<const std::string&>().size() > kMaxStringBytes) {
        return Invalid(path, absl::StrCat("is longer than ", kMaxStringBytes, " bytes"));
      }
      return cel::Value(json.get<std::string>());
    case Json::value_t::array: {
      if (json.size() > kMaxItems) {
        return Invalid(path, absl::StrCat("has more than ", kMaxItems, " items"));
      }
      cel::List list;
      for (size_t i = 0; i < json.size(); ++i) {
        absl::StatusOr<cel::Value> element =
            Natural(json[i], absl::StrCat(path, "[", i, "]"), depth + 1);
        if (!element.ok()) return element.status();
        list.push_back(*std::move(element));
      }
      return cel::Value(std::move(list));
    }
    case Json::value_t::object: {
      if (json.size() > kMaxItems) {
        return Invalid(path, absl::StrCat("has more than ", kMaxItems, " members"));
      }
      std::vector<std::pair<cel::Value, cel::Value>> entries;
      for (const auto& [key, item] : json.items()) {
        absl::StatusOr<cel::Value> value = Natural(item, absl::StrCat(path, ".", key), depth + 1);
        if (!value.ok()) return value.status();
        entries.emplace_back(cel::Value(key), *std::move(value));
      }
      return cel::Value(cel::Map(std::move(entries)));
    }
    default:
      return Invalid(path, "is not a JSON value CEL can bind");
  }
}

absl::StatusOr<cel::Value> Typed(const Json& json, const cel::Type& type, const std::string& path,
                                 int depth) {
  using Kind = cel::Type::Kind;
  switch (type.kind()) {
    case Kind::kInt:
      if (!json.is_number_integer()) return Invalid(path, "must be an integer");
      return Natural(json, path, depth);
    case Kind::kBool:
      if (!json.is_boolean()) return Invalid(path, "must be true or false");
      return cel::Value(json.get<bool>());
    case Kind::kString:
      if (!json.is_string()) return Invalid(path, "must be a string");
      return Natural(json, path, depth);
    case Kind::kTimestamp: {
      if (!json.is_string()) return Invalid(path, "must be an RFC 3339 timestamp");
      absl::StatusOr<absl::Time> time = cel::ParseTimestamp(json.get<std::string>());
      if (!time.ok()) return Invalid(path, "must be an RFC 3339 timestamp");
      return cel::Value(*time);
    }
    case Kind::kDuration: {
      if (!json.is_string()) return Invalid(path, "must be a duration such as \"90m\"");
      absl::StatusOr<absl::Duration> duration = cel::ParseDuration(json.get<std::string>());
      if (!duration.ok()) return Invalid(path, "must be a duration such as \"90m\"");
      return cel::Value(*duration);
    }
    case Kind::kObject: {
      if (!json.is_object()) return Invalid(path, "must be an object");
      std::vector<std::pair<cel::Value, cel::Value>> entries;
      for (const auto& [key, item] : json.items()) {
        const std::string item_path = absl::StrCat(path, ".", key);
        const cel::Type* field = type.Field(key);
        if (field == nullptr) return Invalid(item_path, "is not a field of " + type.name());
        absl::StatusOr<cel::Value> value = Typed(item, *field, item_path, depth + 1);
        if (!value.ok()) return value.status();
        entries.emplace_back(cel::Value(key), *std::move(value));
      }
      return cel::Value(cel::Map(std::move(entries)));
    }
    default:
      return Natural(json, path, depth);
  }
}

Json ToJson(const cel::Value& value) {
  switch (value.kind()) {
    case cel::Kind::kNull:
      return nullptr;
    case cel::Kind::kBool:
      return value.bool_value();
    case cel::Kind::kInt:
      return value.int_value();
    case cel::Kind::kUint:
      return value.uint_value();
    case cel::Kind::kDouble: {
      double d = value.double_value();
      if (std::isnan(d) || std::isinf(d)) return cel::FormatDouble(d);
      return d;
    }
    case cel::Kind::kString:
      return value.string_value();
    case cel::Kind::kBytes:
      return absl::Base64Escape(value.bytes_value());
    case cel::Kind::kList: {
      Json list = Json::array();
      for (const cel::Value& element : value.list_value()) list.push_back(ToJson(element));
      return list;
    }
    case cel::Kind::kMap: {
      Json object = Json::object();
      for (const auto& [key, item] : value.map_value().entries()) {
        std::string name =
            key.kind() == cel::Kind::kString ? key.string_value() : cel::DebugString(key);
        object[name] = ToJson(item);
      }
      return object;
    }
    case cel::Kind::kTimestamp:
      return cel::FormatTimestamp(value.timestamp_value());
    case cel::Kind::kDuration:
      return cel::FormatDurationSeconds(value.duration_value());
    case cel::Kind::kType:
      return value.type_value();
    case cel::Kind::kError:
      return std::string(value.error().message());
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<cel::Activation> BindingsFromJson(absl::string_view json, const cel::Env& env) {
  if (json.size() > kMaxBindingsBytes) {
    return Invalid("bindings", absl::StrCat("are larger than ", kMaxBindingsBytes, " bytes"));
  }
  Json document = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Invalid("bindings", "must be a JSON object of variable names to values");
  }
  cel::Activation activation;
  for (const auto& [name, item] : document.items()) {
    const std::string path = absl::StrCat("bindings.", name);
    auto declared = env.variables().find(name);
    absl::StatusOr<cel::Value> value = declared == env.variables().end()
                                           ? Natural(item, path, 0)
                                           : Typed(item, declared->second, path, 0);
    if (!value.ok()) return value.status();
    activation[name] = *std::move(value);
  }
  return activation;
}

std::string ValueToJson(const cel::Value& value) {
  return ToJson(value).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace travio::pricing
