#include "platform/http/json.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "platform/base/errors.h"

namespace travio::http {
namespace {

constexpr int kMaxDepth = 32;

}  // namespace

Response Json(int status, const nlohmann::json& body) {
  return Response::Text(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        "application/json");
}

absl::StatusOr<nlohmann::json> ParseJsonObject(const Request& request) {
  const std::string content_type =
      absl::AsciiStrToLower(request.Header("Content-Type").value_or(""));
  if (!absl::StartsWith(content_type, "application/json") && !content_type.empty()) {
    return Error(reasons::kUnsupportedMediaType,
                 "The body must be JSON (Content-Type: application/json).");
  }
  int depth = 0;
  bool too_deep = false;
  nlohmann::json::parser_callback_t guard = [&](int level, nlohmann::json::parse_event_t event,
                                                nlohmann::json&) {
    if (event == nlohmann::json::parse_event_t::object_start ||
        event == nlohmann::json::parse_event_t::array_start) {
      depth = std::max(depth, level + 1);
      if (depth > kMaxDepth) too_deep = true;
    }
    return !too_deep;
  };
  nlohmann::json parsed = nlohmann::json::parse(request.body, guard, /*allow_exceptions=*/false);
  if (too_deep) {
    return Error(reasons::kMalformedJson, "The JSON body is nested too deeply.");
  }
  if (parsed.is_discarded()) {
    return Error(reasons::kMalformedJson, "The body is not valid JSON.");
  }
  if (!parsed.is_object()) {
    return Error(reasons::kMalformedJson, "The body must be a JSON object.");
  }
  return parsed;
}

}  // namespace travio::http
