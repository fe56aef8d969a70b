// Seat layouts (services/operator/api/layout_json.h): any JSON as an operator's `layout`, and
// any stored layout document. Reading never crashes; a layout it accepts passes
// ValidateLayout, and writing it and reading it back gives the same layout.
#include <fuzzer/FuzzedDataProvider.h>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_keys.h"
#include "services/operator/api/layout_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace travio;
  const nlohmann::json document =
      nlohmann::json::parse(data, data + size, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  (void)fleet::LayoutFromStoredJson(document);
  absl::StatusOr<fleet::SeatLayout> layout = fleet::LayoutFromJson(document);
  if (!layout.ok()) {
    if (layout.status().code() != absl::StatusCode::kInvalidArgument) {
      fuzz::Violated("a bad layout is invalid_layout");
    }
    return 0;
  }
  if (!fleet::ValidateLayout(*layout).ok()) fuzz::Violated("an accepted layout validates");
  const nlohmann::json written = fleet::LayoutToJson(*layout);
  absl::StatusOr<fleet::SeatLayout> again = fleet::LayoutFromJson(written);
  if (!again.ok() || fleet::LayoutToJson(*again) != written) {
    fuzz::Violated("a layout round-trips");
  }
  return 0;
}
