#pragma once

#include "services/catalog/domain/model.h"
#include "services/operator/api/layout_document.h"
#include "services/operator/api/operator_client.h"

namespace travio::catalog {

/// What a trip keeps of `bus`: its class, amenities and seat layout (as the operator's layout
/// document, with its places counted).
BusSnapshot SnapshotOf(const fleet::Bus& bus);

/// Makes `layout` the seats of `snapshot`.
void SetLayout(BusSnapshot& snapshot, const fleet::SeatLayout& layout);

}  // namespace travio::catalog
