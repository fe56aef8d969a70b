#include "services/inventory/rpc/inventory_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/inventory/api/proto_conversions.h"

namespace travio::inventory {
namespace {

using rpc::Answer;
using rpc::Strings;

}  // namespace

grpc::Status InventoryGrpcService::GetSeatMap(Context*, const v1::GetSeatMapRequest* request,
                                              v1::SeatMap* reply) {
  return Answer(local_->GetSeatMap(request->trip_id(), request->from(), request->to()), reply);
}

grpc::Status InventoryGrpcService::QuoteSeats(Context*, const v1::QuoteSeatsRequest* request,
                                              v1::TripQuote* reply) {
  return Answer(local_->QuoteSeats(FromProto(*request)), reply);
}

grpc::Status InventoryGrpcService::HoldSeats(Context*, const v1::HoldSeatsRequest* request,
                                             v1::HoldView* reply) {
  return Answer(local_->HoldSeats(HoldCommand{.holder = request->holder(),
                                              .trip_id = request->trip_id(),
                                              .seats = Strings(request->seats()),
                                              .from = request->from(),
                                              .to = request->to()}),
                reply);
}

grpc::Status InventoryGrpcService::GetHold(Context*, const v1::HoldRequest* request,
                                           v1::HoldView* reply) {
  return Answer(local_->GetHold(request->holder(), request->hold_id()), reply);
}

grpc::Status InventoryGrpcService::ReleaseHold(Context*, const v1::HoldRequest* request,
                                               v1::Empty*) {
  return Answer(local_->ReleaseHold(request->holder(), request->hold_id()));
}

grpc::Status InventoryGrpcService::ConfirmHold(Context*, const v1::ConfirmHoldRequest* request,
                                               v1::Booking* reply) {
  return Answer(local_->ConfirmHold(request->holder(), request->trip_id(), request->hold_id(),
                                    request->version()),
                reply);
}

grpc::Status InventoryGrpcService::CancelBooking(Context*, const v1::CancelBookingRequest* request,
                                                 v1::Booking* reply) {
  return Answer(
      local_->CancelBooking(request->trip_id(), request->booking_id(), Strings(request->seats())),
      reply);
}

grpc::Status InventoryGrpcService::BlockSeats(Context*, const v1::BlockSeatsRequest* request,
                                              v1::Booking* reply) {
  return Answer(local_->BlockSeats(request->org_id(), request->trip_id(), Strings(request->seats()),
                                   request->from(), request->to()),
                reply);
}

grpc::Status InventoryGrpcService::UnblockSeats(Context*, const v1::UnblockSeatsRequest* request,
                                                v1::Empty*) {
  return Answer(local_->UnblockSeats(request->org_id(), request->trip_id(), request->block_id()));
}

grpc::Status InventoryGrpcService::ListBlocks(Context*, const v1::ListBlocksRequest* request,
                                              v1::ListBlocksResponse* reply) {
  auto blocks = local_->ListBlocks(request->org_id(), request->trip_id());
  if (!blocks.ok()) return Answer(blocks.status());
  for (const BookingRecord& block : blocks->blocks) ToProto(block, *reply->add_blocks());
  for (const std::string& stop : blocks->stops) reply->add_stops(stop);
  return grpc::Status::OK;
}

}  // namespace travio::inventory
