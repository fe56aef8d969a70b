#include "services/gateway/routes/json_body.h"

#include <algorithm>

#include "platform/http/json.h"

namespace travio::gateway {

bool IsStationCode(const std::string& code) {
  if (code.empty() || code.size() > 16) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

absl::StatusOr<JsonBody> JsonBody::Parse(const http::Request& request, bool may_be_empty) {
  if (may_be_empty && request.body.empty()) return JsonBody(nlohmann::json::object());
  auto body = http::ParseJsonObject(request);
  if (!body.ok()) return body.status();
  return JsonBody(*std::move(body));
}

std::string JsonBody::Read(const std::string& name, size_t max_bytes, bool required) {
  known_.push_back(name);
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return "";
  }
  if (!it->is_string()) {
    errors_.push_back({name, "must be a string"});
    return "";
  }
  std::string value = it->get<std::string>();
  if (value.size() > max_bytes) {
    errors_.push_back({name, "is longer than " + std::to_string(max_bytes) + " bytes"});
    return "";
  }
  return value;
}

std::string JsonBody::Required(const std::string& name, size_t max_bytes) {
  return Read(name, max_bytes, /*required=*/true);
}

std::string JsonBody::Optional(const std::string& name, size_t max_bytes) {
  return Read(name, max_bytes, /*required=*/false);
}

nlohmann::json JsonBody::Raw(const std::string& name, bool required) {
  known_.push_back(name);
  auto it = body_.find(name);
  if (it == body_.end() || it->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return nullptr;
  }
  return *it;
}

std::optional<bool> JsonBody::OptionalBool(const std::string& name) {
  const nlohmann::json value = Raw(name, /*required=*/false);
  if (value.is_null()) return std::nullopt;
  if (!value.is_boolean()) {
    errors_.push_back({name, "must be true or false"});
    return std::nullopt;
  }
  return value.get<bool>();
}

bool JsonBody::Bool(const std::string& name, bool fallback) {
  return OptionalBool(name).value_or(fallback);
}

std::optional<int64_t> JsonBody::OptionalInt(const std::string& name, int64_t min, int64_t max) {
  const nlohmann::json value = Raw(name, /*required=*/false);
  if (value.is_null()) return std::nullopt;
  if (!value.is_number_integer() || value.get<int64_t>() < min || value.get<int64_t>() > max) {
    errors_.push_back(
        {name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
    return std::nullopt;
  }
  return value.get<int64_t>();
}

int64_t JsonBody::Int(const std::string& name, int64_t min, int64_t max) {
  if (!Has(name) || body_[name].is_null()) {
    known_.push_back(name);
    errors_.push_back({name, "is required"});
    return 0;
  }
  return OptionalInt(name, min, max).value_or(0);
}

double JsonBody::Number(const std::string& name, double min, double max) {
  const nlohmann::json value = Raw(name, /*required=*/true);
  if (value.is_null()) return 0;
  if (!value.is_number() || !(value.get<double>() >= min && value.get<double>() <= max)) {
    errors_.push_back(
        {name, "must be a number from " + std::to_string(min) + " to " + std::to_string(max)});
    return 0;
  }
  return value.get<double>();
}

std::optional<std::vector<std::string>> JsonBody::OptionalStrings(const std::string& name,
                                                                  size_t max_items,
                                                                  size_t max_bytes) {
  const nlohmann::json value = Raw(name, /*required=*/false);
  if (value.is_null()) return std::nullopt;
  if (!value.is_array() || value.size() > max_items) {
    errors_.push_back(
        {name, "must be a list of at most " + std::to_string(max_items) + " strings"});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string() || value[i].get<std::string>().size() > max_bytes) {
      errors_.push_back({name + "[" + std::to_string(i) + "]",
                         "must be a string of at most " + std::to_string(max_bytes) + " bytes"});
      continue;
    }
    out.push_back(value[i].get<std::string>());
  }
  return out;
}

std::vector<std::string> JsonBody::Strings(const std::string& name, size_t max_items,
                                           size_t max_bytes) {
  return OptionalStrings(name, max_items, max_bytes).value_or(std::vector<std::string>{});
}

absl::Status JsonBody::Finish() {
  for (const auto& [name, value] : body_.items()) {
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
      errors_.push_back({name.size() > 64 ? name.substr(0, 64) : name, "is not a known field"});
    }
  }
  if (errors_.empty()) return absl::OkStatus();
  return WithFieldErrors(Error(reasons::kValidationFailed, "The request is invalid."), errors_);
}

}  // namespace travio::gateway
