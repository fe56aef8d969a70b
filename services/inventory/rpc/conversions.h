#pragma once

// Inventory's proto messages to and from its client types: shared by the gRPC service and the
// gRPC client.

#include "services/inventory/api/inventory_client.h"
#include "travio/inventory/v1/inventory_service.pb.h"

namespace travio::inventory {

void ToProto(const SeatMap& map, v1::SeatMap& out);
SeatMap FromProto(const v1::SeatMap& map);
void ToProto(const HoldView& hold, v1::HoldView& out);
HoldView FromProto(const v1::HoldView& hold);
void ToProto(const BookingRecord& booking, v1::Booking& out);
BookingRecord FromProto(const v1::Booking& booking);

}  // namespace travio::inventory
