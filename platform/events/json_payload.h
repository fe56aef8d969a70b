#pragma once

// For the codecs of event contracts (services/<svc>/api/<svc>_events.cc) whose payloads are JSON
// objects: one way to read them and to refuse what does not read.

#include <nlohmann/json.hpp>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"

namespace travio::events {

/// kInvalidArgument `invalid_event`: the `what` payload is not what its contract says.
inline absl::Status InvalidPayload(std::string_view what, std::string_view why) {
  return Error(reasons::kInvalidEvent,
               absl::StrCat("The ", ToAbsl(what), " event payload is not valid: ", ToAbsl(why)));
}

/// Parses `payload` as a JSON object and hands it to `read`. A payload that is not an object,
/// or a member missing or of the wrong type (an exception of nlohmann's `at()` or `get()`),
/// makes the payload invalid.
template <typename T, typename Read>
absl::StatusOr<T> ReadJsonPayload(std::string_view what, std::string_view payload, Read read) {
  const nlohmann::json document =
      nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return InvalidPayload(what, "not a JSON object");
  try {
    return read(document);
  } catch (const nlohmann::json::exception& error) {
    return InvalidPayload(what, error.what());
  }
}

}  // namespace travio::events
