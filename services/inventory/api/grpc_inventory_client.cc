#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "services/inventory/api/inventory_client.h"
#include "services/inventory/rpc/conversions.h"
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
  GrpcInventoryClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::InventoryService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<SeatMap> GetSeatMap(const std::string& trip_id, const std::string& from,
                                     const std::string& to) override {
    v1::GetSeatMapRequest request;
    request.set_trip_id(trip_id);
    request.set_from(from);
    request.set_to(to);
    v1::SeatMap reply;
    if (auto status = Call(&Stub::GetSeatMap, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<HoldView> HoldSeats(const HoldCommand& command) override {
    v1::HoldSeatsRequest request;
    request.set_holder(command.holder);
    request.set_trip_id(command.trip_id);
    AddAll(command.seats, *request.mutable_seats());
    request.set_from(command.from);
    request.set_to(command.to);
    v1::HoldView reply;
    if (auto status = Call(&Stub::HoldSeats, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<HoldView> GetHold(const std::string& holder, const std::string& hold_id) override {
    v1::HoldView reply;
    if (auto status = Call(&Stub::GetHold, Hold(holder, hold_id), reply); !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  absl::Status ReleaseHold(const std::string& holder, const std::string& hold_id) override {
    v1::Empty reply;
    return Call(&Stub::ReleaseHold, Hold(holder, hold_id), reply);
  }

  absl::StatusOr<BookingRecord> ConfirmHold(const std::string& holder, const std::string& trip_id,
                                            const std::string& hold_id, int64_t version) override {
    v1::ConfirmHoldRequest request;
    request.set_holder(holder);
    request.set_trip_id(trip_id);
    request.set_hold_id(hold_id);
    request.set_version(version);
    return CallBooking(&Stub::ConfirmHold, request);
  }

  absl::StatusOr<BookingRecord> CancelBooking(const std::string& trip_id,
                                              const std::string& booking_id,
                                              const std::vector<std::string>& seats) override {
    v1::CancelBookingRequest request;
    request.set_trip_id(trip_id);
    request.set_booking_id(booking_id);
    AddAll(seats, *request.mutable_seats());
    return CallBooking(&Stub::CancelBooking, request);
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
    return CallBooking(&Stub::BlockSeats, request);
  }

  absl::Status UnblockSeats(const std::string& org_id, const std::string& trip_id,
                            const std::string& block_id) override {
    v1::UnblockSeatsRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_block_id(block_id);
    v1::Empty reply;
    return Call(&Stub::UnblockSeats, request, reply);
  }

 private:
  static v1::HoldRequest Hold(const std::string& holder, const std::string& hold_id) {
    v1::HoldRequest request;
    request.set_holder(holder);
    request.set_hold_id(hold_id);
    return request;
  }

  template <typename Request, typename Reply>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                    const Request& request, Reply& reply) {
    return rpc::CallUnary(*stub_, method, request, reply, deadline_);
  }

  template <typename Request>
  absl::StatusOr<BookingRecord> CallBooking(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                         const Request&,
                                                                         v1::Booking*),
                                            const Request& request) {
    v1::Booking reply;
    if (auto status = Call(method, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  std::unique_ptr<Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<InventoryClient> MakeGrpcInventoryClient(std::shared_ptr<grpc::Channel> channel,
                                                         absl::Duration deadline) {
  return std::make_shared<GrpcInventoryClient>(std::move(channel), deadline);
}

}  // namespace travio::inventory
