#pragma once

// Inventory's proto messages to and from its client types: shared by the gRPC service and the
// gRPC client.

#include "services/inventory/api/inventory_client.h"
#include "travio/inventory/v1/inventory_service.pb.h"

namespace travio::inventory {

void ToProto(const SeatMap& map, v1::SeatMap& out);
SeatMap FromProto(const v1::SeatMap& map);
void ToProto(const QuoteCommand& command, v1::QuoteSeatsRequest& out);
QuoteCommand FromProto(const v1::QuoteSeatsRequest& in);
void ToProto(const TripQuote& quote, v1::TripQuote& out);
TripQuote FromProto(const v1::TripQuote& in);
void ToProto(const HoldView& hold, v1::HoldView& out);
HoldView FromProto(const v1::HoldView& hold);
void ToProto(const BookingRecord& booking, v1::Booking& out);
BookingRecord FromProto(const v1::Booking& booking);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::inventory::FromProto;
}  // namespace v1

}  // namespace travio::inventory
