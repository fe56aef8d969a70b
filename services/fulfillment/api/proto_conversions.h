#pragma once

// Fulfillment's wire conversions, shared by the gRPC client and the gRPC service.

#include <vector>

#include "absl/status/statusor.h"
#include "services/fulfillment/api/fulfillment_client.h"
#include "travio/fulfillment/v1/fulfillment_service.pb.h"

namespace travio::fulfillment {

void ToProto(const Ticket& ticket, v1::Ticket& out);
absl::StatusOr<Ticket> FromProto(const v1::Ticket& in);
void ToProto(const TicketView& view, v1::TicketView& out);
absl::StatusOr<TicketView> FromProto(const v1::TicketView& in);
void ToProto(const OrderTickets& tickets, v1::OrderTickets& out);
absl::StatusOr<OrderTickets> FromProto(const v1::OrderTickets& in);
void ToProto(const Document& document, v1::Document& out);
Document FromProto(const v1::Document& in);
void ToProto(const ScanCommand& command, v1::BoardRequest& out);
ScanCommand FromProto(const v1::BoardRequest& in);
void ToProto(const std::vector<ScanResult>& results, v1::ScanResults& out);
absl::StatusOr<std::vector<ScanResult>> FromProto(const v1::ScanResults& in);
void ToProto(const std::vector<TicketKey>& keys, v1::KeyList& out);
std::vector<TicketKey> FromProto(const v1::KeyList& in);
void ToProto(const BoardingPack& pack, v1::BoardingPack& out);
absl::StatusOr<BoardingPack> FromProto(const v1::BoardingPack& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::fulfillment::FromProto;
}  // namespace v1

}  // namespace travio::fulfillment
