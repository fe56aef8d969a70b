#include "services/queue/api/proto_conversions.h"

#include "platform/base/status_macros.h"

namespace travio::queue {
namespace {

int64_t Micros(const std::optional<absl::Time>& time) {
  return time ? absl::ToUnixMicros(*time) : 0;
}
std::optional<absl::Time> OptionalTime(int64_t micros) {
  if (micros == 0) return std::nullopt;
  return absl::FromUnixMicros(micros);
}

}  // namespace

void ToProto(const RoomSpec& spec, v1::Room& out) {
  out.set_room_id(spec.room_id);
  out.set_org_id(spec.org_id);
  out.set_name(spec.name);
  out.set_mode(std::string(NameOf(kRoomModeNames, spec.mode)));
  for (const std::string& trip : spec.trip_ids) out.add_trip_ids(trip);
  out.set_opens_at(Micros(spec.opens_at));
  out.set_pre_queue_minutes(spec.pre_queue_minutes);
  out.set_admit_per_minute(spec.admit_per_minute);
  out.set_max_active(spec.max_active);
  out.set_session_minutes(spec.session_minutes);
}

absl::StatusOr<RoomSpec> FromProto(const v1::Room& in) {
  auto mode = ParseName(kRoomModeNames, in.mode());
  if (!mode) return absl::InvalidArgumentError("unknown room mode");
  return RoomSpec{.room_id = in.room_id(),
                  .org_id = in.org_id(),
                  .name = in.name(),
                  .mode = *mode,
                  .trip_ids = {in.trip_ids().begin(), in.trip_ids().end()},
                  .opens_at = OptionalTime(in.opens_at()),
                  .pre_queue_minutes = in.pre_queue_minutes(),
                  .admit_per_minute = in.admit_per_minute(),
                  .max_active = in.max_active(),
                  .session_minutes = in.session_minutes()};
}

void ToProto(const RoomView& view, v1::RoomView& out) {
  ToProto(view.spec, *out.mutable_room());
  out.set_status(std::string(NameOf(kRoomStatusNames, view.status)));
  out.set_waiting(view.waiting);
  out.set_active(view.active);
  out.set_admitted_total(view.admitted_total);
  out.set_expired_total(view.expired_total);
  out.set_commitment(view.commitment);
  out.set_seed(view.seed);
  out.set_opened_at(Micros(view.opened_at));
  out.set_created_at(absl::ToUnixMicros(view.created_at));
  out.set_updated_at(absl::ToUnixMicros(view.updated_at));
}

absl::StatusOr<RoomView> FromProto(const v1::RoomView& in) {
  TRAVIO_ASSIGN_OR_RETURN(RoomSpec spec, FromProto(in.room()));
  auto status = ParseName(kRoomStatusNames, in.status());
  if (!status) return absl::InvalidArgumentError("unknown room status");
  return RoomView{.spec = std::move(spec),
                  .status = *status,
                  .waiting = in.waiting(),
                  .active = in.active(),
                  .admitted_total = in.admitted_total(),
                  .expired_total = in.expired_total(),
                  .commitment = in.commitment(),
                  .seed = in.seed(),
                  .opened_at = OptionalTime(in.opened_at()),
                  .created_at = absl::FromUnixMicros(in.created_at()),
                  .updated_at = absl::FromUnixMicros(in.updated_at())};
}

void ToProto(const std::vector<RoomView>& views, v1::RoomList& out) {
  for (const RoomView& view : views) ToProto(view, *out.add_rooms());
}

absl::StatusOr<std::vector<RoomView>> FromProto(const v1::RoomList& in) {
  std::vector<RoomView> rooms;
  for (const v1::RoomView& room : in.rooms()) {
    TRAVIO_ASSIGN_OR_RETURN(RoomView view, FromProto(room));
    rooms.push_back(std::move(view));
  }
  return rooms;
}

void ToProto(const std::optional<TripGuard>& guard, v1::GuardOfResponse& out) {
  out.set_guarded(guard.has_value());
  if (!guard) return;
  out.set_room_id(guard->room_id);
  out.set_status(std::string(NameOf(kRoomStatusNames, guard->status)));
}

absl::StatusOr<std::optional<TripGuard>> FromProto(const v1::GuardOfResponse& in) {
  if (!in.guarded()) return std::nullopt;
  auto status = ParseName(kRoomStatusNames, in.status());
  if (!status) return absl::InvalidArgumentError("unknown room status");
  return TripGuard{.room_id = in.room_id(), .status = *status};
}

void ToProto(const QueuePlace& place, v1::Place& out) {
  out.set_room_id(place.room_id);
  out.set_ticket(place.ticket);
  out.set_admitted(place.admitted);
  out.set_has_position(place.position.has_value());
  out.set_position(place.position.value_or(0));
  out.set_ahead(place.ahead);
  out.set_eta_s(place.eta_s);
  out.set_retry_after_ms(absl::ToInt64Milliseconds(place.retry_after));
  out.set_opens_at(Micros(place.opens_at));
  out.set_queue_token(place.queue_token);
  out.set_expires_at(absl::ToUnixMicros(place.expires_at));
  for (const std::string& trip : place.trip_ids) out.add_trip_ids(trip);
}

QueuePlace FromProto(const v1::Place& in) {
  return QueuePlace{
      .room_id = in.room_id(),
      .ticket = in.ticket(),
      .admitted = in.admitted(),
      .position = in.has_position() ? std::optional<int64_t>(in.position()) : std::nullopt,
      .ahead = in.ahead(),
      .eta_s = in.eta_s(),
      .retry_after = absl::Milliseconds(in.retry_after_ms()),
      .opens_at = OptionalTime(in.opens_at()),
      .queue_token = in.queue_token(),
      .expires_at = absl::FromUnixMicros(in.expires_at()),
      .trip_ids = {in.trip_ids().begin(), in.trip_ids().end()}};
}

void ToProto(const std::vector<QueueKey>& keys, v1::KeyList& out) {
  for (const QueueKey& key : keys) {
    v1::Key* wire = out.add_keys();
    wire->set_kid(key.kid);
    wire->set_public_key(key.public_key);
  }
}

std::vector<QueueKey> FromProto(const v1::KeyList& in) {
  std::vector<QueueKey> keys;
  for (const v1::Key& key : in.keys()) keys.push_back({key.kid(), key.public_key()});
  return keys;
}

}  // namespace travio::queue
