#pragma once

#include "absl/status/statusor.h"
#include "services/operator/api/operator_client.h"
#include "travio/fleet/v1/operator_service.pb.h"

namespace travio::fleet {

void ToProto(const Bus& bus, v1::Bus& out);
absl::StatusOr<Bus> FromProto(const v1::Bus& in);
void ToProto(const StaffMember& member, v1::StaffMember& out);
StaffMember FromProto(const v1::StaffMember& in);
/// The layout document of a message; kInvalidArgument `invalid_layout` when it does not parse.
absl::StatusOr<SeatLayout> LayoutFromText(const std::string& text);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::fleet::FromProto;
}  // namespace v1

}  // namespace travio::fleet
