#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "services/operator/domain/seat_layout.h"

namespace travio::fleet {

/// Reads api.md's `layout`: a template `{"template":"2+2","rows":10,"full_back_row"?:true}` or
/// explicit decks `{"decks":[{"name","rows","cols","cells":[{"row","col","type","label",
/// "category"?,"blocked"?,"crew"?}]}]}` (rows and columns count from 0). The result is
/// validated (ValidateLayout); every problem comes back at once as kInvalidArgument
/// `invalid_layout` with field paths under `field` ("layout.decks[0].cells[2].row").
absl::StatusOr<SeatLayout> LayoutFromJson(const nlohmann::json& json,
                                          const std::string& field = "layout");

/// A layout this system wrote itself (a bus row, a trip's snapshot), validated when it was
/// written: read in form only, so reading a page of trips does not re-validate every layout,
/// and a later, stricter rule cannot make old rows unreadable. kInvalidArgument when the
/// document is not a layout at all.
absl::StatusOr<SeatLayout> LayoutFromStoredJson(const nlohmann::json& json);

/// The explicit-decks form of a layout (templates come back expanded), as stored in trips'
/// snapshots and returned by the API.
nlohmann::json LayoutToJson(const SeatLayout& layout);

}  // namespace travio::fleet
