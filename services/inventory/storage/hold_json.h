#pragma once

// The stored form of a hold, shared by the journal of the memory store and the Redis store.

#include <string>

#include "absl/status/statusor.h"
#include "services/inventory/app/hold_store.h"

namespace travio::inventory {

/// {"trip_id","org_id","id","holder","seats","from","to","expires_at" (unix ms),"version",
///  "prices":[{"seat","amount","currency"}]}
std::string StoredHoldJson(const HoldRecord& record);
/// kDataLoss for a document that is not such a hold.
absl::StatusOr<HoldRecord> StoredHoldFromJson(const std::string& text);

}  // namespace travio::inventory
