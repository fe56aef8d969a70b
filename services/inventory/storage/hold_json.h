#pragma once

// What the memory store (and its journal) and the Redis store share: the stored form of a hold
// and their errors.

#include <string>

#include "absl/status/statusor.h"
#include "services/inventory/app/hold_store.h"

namespace travio::inventory {

/// {"trip_id","org_id","id","holder","seats","from","to","expires_at" (unix ms),"version",
///  "prices": storage/price_json.h}
std::string StoredHoldJson(const HoldRecord& record);
/// kDataLoss for a document that is not such a hold.
absl::StatusOr<HoldRecord> StoredHoldFromJson(const std::string& text);

/// trip_not_loaded: the store has not been given the trip's seats yet.
absl::Status TripNotLoaded(const std::string& trip_id);

}  // namespace travio::inventory
