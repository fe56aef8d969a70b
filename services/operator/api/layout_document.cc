#include "services/operator/api/layout_document.h"

#include <nlohmann/json.hpp>

#include "platform/base/errors.h"
#include "services/operator/api/layout_json.h"

namespace travio::fleet {

std::string LayoutDocument(const SeatLayout& layout) { return LayoutToJson(layout).dump(); }

absl::StatusOr<SeatLayout> LayoutFromDocument(std::string_view document) {
  const nlohmann::json parsed =
      nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Error(reasons::kInvalidLayout, "The layout document is not JSON.");
  }
  return LayoutFromStoredJson(parsed);
}

}  // namespace travio::fleet
