#pragma once

// The message templates compiled into the binary (services/notification/templates/), rendered
// with mstch (Mustache).

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/notification/app/ports.h"

namespace travio::notification {

/// Whether `kind` has templates.
bool HasTemplate(std::string_view kind);

/// Renders `kind` in `locale` (a part missing in that locale comes from "en") with `data`, a JSON
/// object (nested objects read as `{{a.b}}`, arrays as sections). kInvalidArgument
/// `unknown_template` for a kind without templates.
absl::StatusOr<RenderedMessage> RenderTemplate(std::string_view kind, std::string_view locale,
                                               const nlohmann::json& data);

/// The MessageWriter of the compiled-in templates: TemplateData, then RenderTemplate.
std::unique_ptr<MessageWriter> MakeTemplateWriter();

}  // namespace travio::notification
