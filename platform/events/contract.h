#pragma once

// Typed event contracts. Each event type is defined once, by the service that produces it, in
// that service's api/ (services/<svc>/api/<svc>_events.h): a payload struct, one codec, and a
// Contract naming the type. The producer builds its events with Contract::Make; every consumer
// subscribes with Subscribe and receives the decoded payload, so the two sides cannot drift
// apart. Each contract has a golden test against a recorded payload in tests/contracts/events/.

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"

namespace travio::events {

/// Who and when of an event, besides its payload (the envelope's other fields).
struct Header {
  std::string id;            // a new UUIDv7
  std::string aggregate_id;  // the entity whose state changed
  std::string org_id;        // tenant, empty for platform events
  absl::Time occurred_at;
  std::string trace_id;
};

/// The header of an event happening now, about `aggregate_id` of `org_id`.
inline Header HeaderNow(const IdGenerator& ids, const Clock& clock, std::string aggregate_id,
                        std::string org_id) {
  return Header{.id = ids.NewId(),
                .aggregate_id = std::move(aggregate_id),
                .org_id = std::move(org_id),
                .occurred_at = clock.Now(),
                .trace_id = ""};
}

/// One event type: its name ("trip.published.v1") and the codec of its payload. Several types
/// may share a payload and its codec (trip.published.v1 and trip.cancelled.v1 both carry the
/// trip).
template <typename Payload>
struct Contract {
  using PayloadType = Payload;

  std::string_view type;
  std::string (*encode)(const Payload&);
  /// kInvalidArgument `invalid_event` for a document that is not such a payload.
  absl::StatusOr<Payload> (*decode)(std::string_view payload);

  /// The event of this type carrying `payload`.
  Event Make(const Payload& payload, Header header) const {
    return Event{.id = std::move(header.id),
                 .type = std::string(type),
                 .aggregate_id = std::move(header.aggregate_id),
                 .org_id = std::move(header.org_id),
                 .occurred_at = header.occurred_at,
                 .trace_id = std::move(header.trace_id),
                 .payload = encode(payload)};
  }

  /// The payload of `event`, which must be of this type.
  absl::StatusOr<Payload> Read(const Event& event) const { return decode(event.payload); }
};

/// Subscribes `consumer` to `contract`'s events; `handler(event, payload)` receives each one
/// decoded. An event whose payload does not decode can never be handled, so it is logged as an
/// error and dropped rather than delivered again forever.
template <typename Payload>
void Subscribe(Bus& bus, const std::string& consumer, const Contract<Payload>& contract,
               const log::Logger& logger,
               std::function<absl::Status(const Event&, const Payload&)> handler) {
  bus.Subscribe(consumer, std::string(contract.type),
                [contract, logger, consumer, handler = std::move(handler)](const Event& event) {
                  absl::StatusOr<Payload> payload = contract.Read(event);
                  if (!payload.ok()) {
                    logger.Error("dropped an event its consumer cannot read",
                                 {{"consumer", consumer},
                                  {"type", event.type},
                                  {"event_id", event.id},
                                  {"error", payload.status().ToString()}});
                    return absl::OkStatus();
                  }
                  return handler(event, *payload);
                });
}

}  // namespace travio::events
