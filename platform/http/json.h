#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "platform/http/message.h"

namespace travio::http {

/// A JSON response with Content-Type application/json.
Response Json(int status, const nlohmann::json& body);

/// Parses the request body as a JSON object. Fails with kInvalidArgument (reason
/// `malformed_json`, or `unsupported_media_type` when Content-Type is not JSON) for anything
/// else, including nesting deeper than 32 levels.
absl::StatusOr<nlohmann::json> ParseJsonObject(const Request& request);

}  // namespace travio::http
