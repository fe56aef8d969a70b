#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "platform/events/event.h"

namespace travio::events {

/// The envelope as one JSON document, the body of a broker message:
/// {"id","type","aggregate_id","org_id","occurred_at" (unix microseconds),"trace_id","payload"}.
std::string EventToJson(const Event& event);
/// kInvalidArgument for a body that is not such a document.
absl::StatusOr<Event> EventFromJson(const std::string& text);

}  // namespace travio::events
