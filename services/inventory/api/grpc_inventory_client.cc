#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/inventory/api/inventory_client.h"
#include "services/inventory/api/proto_conversions.h"
#include "travio/inventory/v1/inventory_service.grpc.pb.h"

namespace travio::inventory {
namespace {

using Stub = v1::InventoryService::Stub;

template <typename Repeated>
void AddAll(const std::vector<std::string>& values, Repeated& out) {
  for (const std::string& value : values) out.Add(std::string(value));
}

class GrpcInventoryClient final : public InventoryClient {
 public:
  GrpcInventoryClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<SeatMap> GetSeatMap(const std::string& trip_id, const std::string& from,
                                     const std::string& to) override {
    v1::GetSeatMapRequest request;
    request.set_trip_id(trip_id);
    request.set_from(from);
    request.set_to(to);
    return rpc_.Query(&Stub::GetSeatMap, request);
  }

  absl::StatusOr<TripQuote> QuoteSeats(const QuoteCommand& command) override {
    v1::QuoteSeatsRequest request;
    ToProto(command, request);
    return rpc_.Query(&Stub::QuoteSeats, request);
  }
  absl::StatusOr<HoldView> HoldSeats(const HoldCommand& command) override {
    v1::HoldSeatsRequest request;
    request.set_holder(command.holder);
    request.set_trip_id(command.trip_id);
    AddAll(command.seats, *request.mutable_seats());
    request.set_from(command.from);
    request.set_to(command.to);
    return rpc_.Call(&Stub::HoldSeats, request);
  }

  absl::StatusOr<HoldView> GetHold(const std::string& holder, const std::string& hold_id) override {
    return rpc_.Query(&Stub::GetHold, Hold(holder, hold_id));
  }

  absl::Status ReleaseHold(const std::string& holder, const std::string& hold_id) override {
    return rpc_.Send(&Stub::ReleaseHold, Hold(holder, hold_id));
  }

  absl::StatusOr<BookingRecord> ConfirmHold(const std::string& holder, const std::string& trip_id,
                                            const std::string& hold_id, int64_t version) override {
    v1::ConfirmHoldRequest request;
    request.set_holder(holder);
    request.set_trip_id(trip_id);
    request.set_hold_id(hold_id);
    request.set_version(version);
    return rpc_.Call(&Stub::ConfirmHold, request);
  }

  absl::StatusOr<BookingRecord> CancelBooking(const std::string& trip_id,
                                              const std::string& booking_id,
                                              const std::vector<std::string>& seats) override {
    v1::CancelBookingRequest request;
    request.set_trip_id(trip_id);
    request.set_booking_id(booking_id);
    AddAll(seats, *request.mutable_seats());
    return rpc_.Call(&Stub::CancelBooking, request);
  }

  absl::StatusOr<BookingRecord> BlockSeats(const std::string& org_id, const std::string& trip_id,
                                           const std::vector<std::string>& seats,
                                           const std::string& from,
                                           const std::string& to) override {
    v1::BlockSeatsRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    AddAll(seats, *request.mutable_seats());
    request.set_from(from);
    request.set_to(to);
    return rpc_.Call(&Stub::BlockSeats, request);
  }

  absl::Status UnblockSeats(const std::string& org_id, const std::string& trip_id,
                            const std::string& block_id) override {
    v1::UnblockSeatsRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_block_id(block_id);
    return rpc_.Send(&Stub::UnblockSeats, request);
  }

  absl::StatusOr<TripBlocks> ListBlocks(const std::string& org_id,
                                        const std::string& trip_id) override {
    v1::ListBlocksRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListBlocksResponse reply,
                            rpc_.QueryRaw(&Stub::ListBlocks, request));
    TripBlocks out;
    for (const v1::Booking& block : reply.blocks()) out.blocks.push_back(FromProto(block));
    out.stops.assign(reply.stops().begin(), reply.stops().end());
    return out;
  }

 private:
  static v1::HoldRequest Hold(const std::string& holder, const std::string& hold_id) {
    v1::HoldRequest request;
    request.set_holder(holder);
    request.set_hold_id(hold_id);
    return request;
  }

  rpc::UnaryClient<v1::InventoryService> rpc_;
};

}  // namespace

std::shared_ptr<InventoryClient> InventoryClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                           const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcInventoryClient>(std::move(channel), policy);
}

}  // namespace travio::inventory
