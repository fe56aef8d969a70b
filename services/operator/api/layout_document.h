#pragma once

// A bus's seat layout as other services keep and pass it on: the trip's snapshot in the
// catalog, the seat map in inventory, the seats search counts. The document is the explicit
// decks of api.md's `layout`, written by the operator service from a validated layout.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/operator/domain/seat_layout.h"

namespace travio::fleet {

/// The layout as a document (JSON text of its decks).
std::string LayoutDocument(const SeatLayout& layout);

/// The layout a document describes. It was validated when the operator wrote it, so it is read
/// in form only (a later, stricter rule cannot make kept documents unreadable). kInvalidArgument
/// `invalid_layout` for a document that is not a layout at all.
absl::StatusOr<SeatLayout> LayoutFromDocument(std::string_view document);

}  // namespace travio::fleet
