#pragma once

#include <memory>

#include "services/inventory/api/inventory_client.h"
#include "travio/inventory/v1/inventory_service.grpc.pb.h"

namespace travio::inventory {

/// Serves InventoryService over gRPC by translating to the local implementation; no rules here.
class InventoryGrpcService final : public v1::InventoryService::Service {
 public:
  explicit InventoryGrpcService(std::shared_ptr<InventoryClient> local)
      : local_(std::move(local)) {}

  using Context = grpc::ServerContext;
  grpc::Status GetSeatMap(Context*, const v1::GetSeatMapRequest*, v1::SeatMap*) override;
  grpc::Status QuoteSeats(Context*, const v1::QuoteSeatsRequest*, v1::TripQuote*) override;
  grpc::Status HoldSeats(Context*, const v1::HoldSeatsRequest*, v1::HoldView*) override;
  grpc::Status GetHold(Context*, const v1::HoldRequest*, v1::HoldView*) override;
  grpc::Status ReleaseHold(Context*, const v1::HoldRequest*, v1::Empty*) override;
  grpc::Status ConfirmHold(Context*, const v1::ConfirmHoldRequest*, v1::Booking*) override;
  grpc::Status CancelBooking(Context*, const v1::CancelBookingRequest*, v1::Booking*) override;
  grpc::Status BlockSeats(Context*, const v1::BlockSeatsRequest*, v1::Booking*) override;
  grpc::Status UnblockSeats(Context*, const v1::UnblockSeatsRequest*, v1::Empty*) override;
  grpc::Status ListBlocks(Context*, const v1::ListBlocksRequest*, v1::ListBlocksResponse*) override;

 private:
  std::shared_ptr<InventoryClient> local_;
};

}  // namespace travio::inventory
