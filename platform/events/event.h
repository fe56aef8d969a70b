#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace travio::events {

/// The envelope every event travels in. `payload` is the JSON document of the event type.
struct Event {
  std::string id;            // UUIDv7
  std::string type;          // "order.confirmed.v1"
  std::string aggregate_id;  // the entity whose state changed
  std::string org_id;        // tenant, empty for platform events
  absl::Time occurred_at;
  std::string trace_id;
  std::string payload;
  bool operator==(const Event&) const = default;
};

}  // namespace travio::events
