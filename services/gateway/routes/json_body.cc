#include "services/gateway/routes/json_body.h"

#include <algorithm>

#include "platform/http/json.h"

namespace travio::gateway {

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

absl::Status JsonBody::Finish() {
  for (const auto& [name, value] : body_.items()) {
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) {
      errors_.push_back({name.size() > 64 ? name.substr(0, 64) : name, "is not a known field"});
    }
  }
  if (errors_.empty()) return absl::OkStatus();
  return WithFieldErrors(
      Error(absl::StatusCode::kInvalidArgument, "validation_failed", "The request is invalid."),
      errors_);
}

}  // namespace travio::gateway
