#pragma once

// What the parts of CatalogService share: its refusals and what it reads off a bus's layout.

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/base/errors.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {

absl::Status TripNotFound();
absl::Status RouteNotFound();
/// kInvalidArgument with `reason` and the fields at fault.
absl::Status Invalid(const Reason& reason, const std::vector<FieldError>& errors);
/// The trip changed (its version) while a request ran.
absl::Status Concurrent();

/// Every seat and berth label of a layout.
std::vector<std::string> Labels(const fleet::SeatLayout& layout);
/// The seat categories a bus sells, which its fares must price.
std::set<std::string> SoldCategories(const fleet::SeatLayout& layout);

}  // namespace travio::catalog
