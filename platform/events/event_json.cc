#include "platform/events/event_json.h"

#include <nlohmann/json.hpp>

namespace travio::events {

std::string EventToJson(const Event& event) {
  return nlohmann::json{{"id", event.id},
                        {"type", event.type},
                        {"aggregate_id", event.aggregate_id},
                        {"org_id", event.org_id},
                        {"occurred_at", absl::ToUnixMicros(event.occurred_at)},
                        {"trace_id", event.trace_id},
                        {"payload", event.payload}}
      .dump();
}

absl::StatusOr<Event> EventFromJson(const std::string& text) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  try {
    return Event{.id = document.at("id").get<std::string>(),
                 .type = document.at("type").get<std::string>(),
                 .aggregate_id = document.at("aggregate_id").get<std::string>(),
                 .org_id = document.at("org_id").get<std::string>(),
                 .occurred_at = absl::FromUnixMicros(document.at("occurred_at").get<int64_t>()),
                 .trace_id = document.at("trace_id").get<std::string>(),
                 .payload = document.at("payload").get<std::string>()};
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError("a message body is not an event envelope");
  }
}

}  // namespace travio::events
