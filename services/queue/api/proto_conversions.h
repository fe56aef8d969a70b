#pragma once

// The queue's wire conversions, shared by the gRPC client and the gRPC service.

#include "absl/status/statusor.h"
#include "services/queue/api/queue_client.h"
#include "travio/queue/v1/queue_service.pb.h"

namespace travio::queue {

void ToProto(const RoomSpec& spec, v1::Room& out);
absl::StatusOr<RoomSpec> FromProto(const v1::Room& in);
void ToProto(const RoomView& view, v1::RoomView& out);
absl::StatusOr<RoomView> FromProto(const v1::RoomView& in);
void ToProto(const std::vector<RoomView>& views, v1::RoomList& out);
absl::StatusOr<std::vector<RoomView>> FromProto(const v1::RoomList& in);
void ToProto(const std::optional<TripGuard>& guard, v1::GuardOfResponse& out);
absl::StatusOr<std::optional<TripGuard>> FromProto(const v1::GuardOfResponse& in);
void ToProto(const QueuePlace& place, v1::Place& out);
QueuePlace FromProto(const v1::Place& in);
void ToProto(const std::vector<QueueKey>& keys, v1::KeyList& out);
std::vector<QueueKey> FromProto(const v1::KeyList& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::queue::FromProto;
}  // namespace v1

}  // namespace travio::queue
